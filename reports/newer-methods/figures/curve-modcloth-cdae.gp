# denoisebench report: edit and rerun with `gnuplot curve-modcloth-cdae.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'curve-modcloth-cdae.png'
set title 'validation loss along training: modcloth, cdae'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
plot 'curve-modcloth-cdae.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#31a354' pt 3 title 'dcf', \
  'curve-modcloth-cdae.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#756bb1' pt 3 title 'eard', \
  'curve-modcloth-cdae.dat' index 2 using 1:3 with linespoints lw 2 lc rgb '#000000' pt 7 title 'normal', \
  'curve-modcloth-cdae.dat' index 3 using 1:3 with linespoints lw 2 lc rgb '#636363' pt 3 title 'udt'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'curve-modcloth-cdae.pdf'
set title 'validation loss along training: modcloth, cdae'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
plot 'curve-modcloth-cdae.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#31a354' pt 3 title 'dcf', \
  'curve-modcloth-cdae.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#756bb1' pt 3 title 'eard', \
  'curve-modcloth-cdae.dat' index 2 using 1:3 with linespoints lw 2 lc rgb '#000000' pt 7 title 'normal', \
  'curve-modcloth-cdae.dat' index 3 using 1:3 with linespoints lw 2 lc rgb '#636363' pt 3 title 'udt'
unset output
