# denoisebench report: edit and rerun with `gnuplot activity-ml-100k-cdae.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'activity-ml-100k-cdae.png'
set title 'recall@100 by user activity: ml-100k, cdae'
set xlabel 'train interactions of the user (quartile groups)'
set ylabel 'recall@100'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:*]
plot 'activity-ml-100k-cdae.dat' using 3:xtic(2) title 'dcf' lc rgb '#31a354', 'activity-ml-100k-cdae.dat' using 4 title 'deca-p' lc rgb '#17becf', 'activity-ml-100k-cdae.dat' using 5 title 'deca' lc rgb '#2ca02c', 'activity-ml-100k-cdae.dat' using 6 title 'normal' lc rgb '#000000', 'activity-ml-100k-cdae.dat' using 7 title 'r-ce' lc rgb '#1f77b4', 'activity-ml-100k-cdae.dat' using 8 title 't-ce' lc rgb '#d62728', 'activity-ml-100k-cdae.dat' using 9 title 'udt' lc rgb '#636363'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'activity-ml-100k-cdae.pdf'
set title 'recall@100 by user activity: ml-100k, cdae'
set xlabel 'train interactions of the user (quartile groups)'
set ylabel 'recall@100'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:*]
plot 'activity-ml-100k-cdae.dat' using 3:xtic(2) title 'dcf' lc rgb '#31a354', 'activity-ml-100k-cdae.dat' using 4 title 'deca-p' lc rgb '#17becf', 'activity-ml-100k-cdae.dat' using 5 title 'deca' lc rgb '#2ca02c', 'activity-ml-100k-cdae.dat' using 6 title 'normal' lc rgb '#000000', 'activity-ml-100k-cdae.dat' using 7 title 'r-ce' lc rgb '#1f77b4', 'activity-ml-100k-cdae.dat' using 8 title 't-ce' lc rgb '#d62728', 'activity-ml-100k-cdae.dat' using 9 title 'udt' lc rgb '#636363'
unset output
