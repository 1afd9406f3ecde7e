# denoisebench report: edit and rerun with `gnuplot along-ml-100k-gmf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'along-ml-100k-gmf.png'
set title 'test recall@20 along training: ml-100k, gmf'
set xlabel 'iteration (batches)'
set ylabel 'test recall@20 (mean over seeds)'
set key outside right
set grid
plot 'along-ml-100k-gmf.dat' index 0 using 1:2 with linespoints lw 2 pi 4 lc rgb '#000000' pt 7 title 'normal', \
  'along-ml-100k-gmf.dat' index 1 using 1:2 with linespoints lw 2 pi 4 lc rgb '#d62728' pt 5 title 't-ce', \
  'along-ml-100k-gmf.dat' index 2 using 1:2 with linespoints lw 2 pi 4 lc rgb '#1f77b4' pt 9 title 'r-ce'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'along-ml-100k-gmf.pdf'
set title 'test recall@20 along training: ml-100k, gmf'
set xlabel 'iteration (batches)'
set ylabel 'test recall@20 (mean over seeds)'
set key outside right
set grid
plot 'along-ml-100k-gmf.dat' index 0 using 1:2 with linespoints lw 2 pi 4 lc rgb '#000000' pt 7 title 'normal', \
  'along-ml-100k-gmf.dat' index 1 using 1:2 with linespoints lw 2 pi 4 lc rgb '#d62728' pt 5 title 't-ce', \
  'along-ml-100k-gmf.dat' index 2 using 1:2 with linespoints lw 2 pi 4 lc rgb '#1f77b4' pt 9 title 'r-ce'
unset output
