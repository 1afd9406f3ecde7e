# denoisebench report: edit and rerun with `gnuplot curve-modcloth-neumf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'curve-modcloth-neumf.png'
set title 'validation loss along training: modcloth, neumf'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
plot 'curve-modcloth-neumf.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#2ca02c' pt 13 title 'deca', \
  'curve-modcloth-neumf.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#17becf' pt 11 title 'deca-p'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'curve-modcloth-neumf.pdf'
set title 'validation loss along training: modcloth, neumf'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
plot 'curve-modcloth-neumf.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#2ca02c' pt 13 title 'deca', \
  'curve-modcloth-neumf.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#17becf' pt 11 title 'deca-p'
unset output
