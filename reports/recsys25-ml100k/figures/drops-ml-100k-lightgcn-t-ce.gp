# denoisebench report: edit and rerun with `gnuplot drops-ml-100k-lightgcn-t-ce.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'drops-ml-100k-lightgcn-t-ce.png'
set title 'noisy positives among the dropped: ml-100k, lightgcn, t-ce'
set xlabel 'iteration (batches)'
set ylabel 'share since the previous point'
set yrange [0:1]
set key outside right
set grid
plot 'drops-ml-100k-lightgcn-t-ce.dat' using 1:5 with linespoints pt 7 title 'precision', \
  '' using 1:6 with linespoints pt 5 title 'recall'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'drops-ml-100k-lightgcn-t-ce.pdf'
set title 'noisy positives among the dropped: ml-100k, lightgcn, t-ce'
set xlabel 'iteration (batches)'
set ylabel 'share since the previous point'
set yrange [0:1]
set key outside right
set grid
plot 'drops-ml-100k-lightgcn-t-ce.dat' using 1:5 with linespoints pt 7 title 'precision', \
  '' using 1:6 with linespoints pt 5 title 'recall'
unset output
