# denoisebench report: edit and rerun with `gnuplot ratings-modcloth-lightgcn.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'ratings-modcloth-lightgcn.png'
set title 'mean P(r=1|interacted) of the train interactions: modcloth, lightgcn'
set xlabel 'rating (third column of the train file)'
set ylabel 'mean predicted probability'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:1]
plot 'ratings-modcloth-lightgcn.dat' using 2:xtic(1) title 'dcf' lc rgb '#31a354', 'ratings-modcloth-lightgcn.dat' using 3 title 'eard' lc rgb '#756bb1', 'ratings-modcloth-lightgcn.dat' using 4 title 'normal' lc rgb '#000000', 'ratings-modcloth-lightgcn.dat' using 5 title 'udt' lc rgb '#636363', 'ratings-modcloth-lightgcn.dat' using 6 title 'pld' lc rgb '#e6550d'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'ratings-modcloth-lightgcn.pdf'
set title 'mean P(r=1|interacted) of the train interactions: modcloth, lightgcn'
set xlabel 'rating (third column of the train file)'
set ylabel 'mean predicted probability'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:1]
plot 'ratings-modcloth-lightgcn.dat' using 2:xtic(1) title 'dcf' lc rgb '#31a354', 'ratings-modcloth-lightgcn.dat' using 3 title 'eard' lc rgb '#756bb1', 'ratings-modcloth-lightgcn.dat' using 4 title 'normal' lc rgb '#000000', 'ratings-modcloth-lightgcn.dat' using 5 title 'udt' lc rgb '#636363', 'ratings-modcloth-lightgcn.dat' using 6 title 'pld' lc rgb '#e6550d'
unset output
