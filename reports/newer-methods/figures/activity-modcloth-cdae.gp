# denoisebench report: edit and rerun with `gnuplot activity-modcloth-cdae.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'activity-modcloth-cdae.png'
set title 'recall@20 by user activity: modcloth, cdae'
set xlabel 'train interactions of the user (quartile groups)'
set ylabel 'recall@20'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:*]
plot 'activity-modcloth-cdae.dat' using 3:xtic(2) title 'dcf' lc rgb '#31a354', 'activity-modcloth-cdae.dat' using 4 title 'eard' lc rgb '#756bb1', 'activity-modcloth-cdae.dat' using 5 title 'normal' lc rgb '#000000', 'activity-modcloth-cdae.dat' using 6 title 'udt' lc rgb '#636363'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'activity-modcloth-cdae.pdf'
set title 'recall@20 by user activity: modcloth, cdae'
set xlabel 'train interactions of the user (quartile groups)'
set ylabel 'recall@20'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:*]
plot 'activity-modcloth-cdae.dat' using 3:xtic(2) title 'dcf' lc rgb '#31a354', 'activity-modcloth-cdae.dat' using 4 title 'eard' lc rgb '#756bb1', 'activity-modcloth-cdae.dat' using 5 title 'normal' lc rgb '#000000', 'activity-modcloth-cdae.dat' using 6 title 'udt' lc rgb '#636363'
unset output
