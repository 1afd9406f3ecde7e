# denoisebench report: edit and rerun with `gnuplot ratings-ml-100k-neumf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'ratings-ml-100k-neumf.png'
set title 'mean P(r=1|interacted) of the train interactions: ml-100k, neumf'
set xlabel 'rating (third column of the train file)'
set ylabel 'mean predicted probability'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:1]
plot 'ratings-ml-100k-neumf.dat' using 2:xtic(1) title 'deca-p' lc rgb '#17becf', 'ratings-ml-100k-neumf.dat' using 3 title 'deca' lc rgb '#2ca02c', 'ratings-ml-100k-neumf.dat' using 4 title 'ensemble' lc rgb '#8c564b', 'ratings-ml-100k-neumf.dat' using 5 title 'normal' lc rgb '#000000', 'ratings-ml-100k-neumf.dat' using 6 title 'r-ce' lc rgb '#1f77b4', 'ratings-ml-100k-neumf.dat' using 7 title 't-ce' lc rgb '#d62728', 'ratings-ml-100k-neumf.dat' using 8 title 'wbpr' lc rgb '#9467bd'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'ratings-ml-100k-neumf.pdf'
set title 'mean P(r=1|interacted) of the train interactions: ml-100k, neumf'
set xlabel 'rating (third column of the train file)'
set ylabel 'mean predicted probability'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:1]
plot 'ratings-ml-100k-neumf.dat' using 2:xtic(1) title 'deca-p' lc rgb '#17becf', 'ratings-ml-100k-neumf.dat' using 3 title 'deca' lc rgb '#2ca02c', 'ratings-ml-100k-neumf.dat' using 4 title 'ensemble' lc rgb '#8c564b', 'ratings-ml-100k-neumf.dat' using 5 title 'normal' lc rgb '#000000', 'ratings-ml-100k-neumf.dat' using 6 title 'r-ce' lc rgb '#1f77b4', 'ratings-ml-100k-neumf.dat' using 7 title 't-ce' lc rgb '#d62728', 'ratings-ml-100k-neumf.dat' using 8 title 'wbpr' lc rgb '#9467bd'
unset output
