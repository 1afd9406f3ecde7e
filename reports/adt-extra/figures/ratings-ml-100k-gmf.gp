# denoisebench report: edit and rerun with `gnuplot ratings-ml-100k-gmf.gp` here.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'ratings-ml-100k-gmf.png'
set title 'mean P(r=1|interacted) of the train interactions: ml-100k, gmf'
set xlabel 'rating (third column of the train file)'
set ylabel 'mean predicted probability'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:1]
plot 'ratings-ml-100k-gmf.dat' using 2:xtic(1) title 'finetune', 'ratings-ml-100k-gmf.dat' using 3 title 'nmtr', 'ratings-ml-100k-gmf.dat' using 4 title 'normal', 'ratings-ml-100k-gmf.dat' using 5 title 'nr', 'ratings-ml-100k-gmf.dat' using 6 title 'r-ce', 'ratings-ml-100k-gmf.dat' using 7 title 't-ce', 'ratings-ml-100k-gmf.dat' using 8 title 'warmup'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'ratings-ml-100k-gmf.pdf'
replot
unset output
