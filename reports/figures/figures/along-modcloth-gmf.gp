# denoisebench report: edit and rerun with `gnuplot along-modcloth-gmf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'along-modcloth-gmf.png'
set title 'test recall@20 along training: modcloth, gmf'
set xlabel 'iteration (batches)'
set ylabel 'test recall@20 (mean over seeds)'
set key outside right
set grid
plot 'along-modcloth-gmf.dat' index 0 using 1:2 with linespoints lw 2 pi 3 lc rgb '#000000' pt 7 title 'normal', \
  'along-modcloth-gmf.dat' index 1 using 1:2 with linespoints lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'deca'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'along-modcloth-gmf.pdf'
set title 'test recall@20 along training: modcloth, gmf'
set xlabel 'iteration (batches)'
set ylabel 'test recall@20 (mean over seeds)'
set key outside right
set grid
plot 'along-modcloth-gmf.dat' index 0 using 1:2 with linespoints lw 2 pi 3 lc rgb '#000000' pt 7 title 'normal', \
  'along-modcloth-gmf.dat' index 1 using 1:2 with linespoints lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'deca'
unset output
