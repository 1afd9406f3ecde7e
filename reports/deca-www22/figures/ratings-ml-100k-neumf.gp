# denoisebench report: edit and rerun with `gnuplot ratings-ml-100k-neumf.gp` here.
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
plot 'ratings-ml-100k-neumf.dat' using 2:xtic(1) title 'deca-p', 'ratings-ml-100k-neumf.dat' using 3 title 'deca', 'ratings-ml-100k-neumf.dat' using 4 title 'ensemble', 'ratings-ml-100k-neumf.dat' using 5 title 'normal', 'ratings-ml-100k-neumf.dat' using 6 title 'r-ce', 'ratings-ml-100k-neumf.dat' using 7 title 't-ce', 'ratings-ml-100k-neumf.dat' using 8 title 'wbpr'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'ratings-ml-100k-neumf.pdf'
replot
unset output
