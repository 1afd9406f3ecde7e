# denoisebench report: edit and rerun with `gnuplot curve-ml-100k-cdae.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'curve-ml-100k-cdae.png'
set title 'validation loss along training: ml-100k, cdae'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
set label 1 'one evaluation point only (eval_freq against the run''s iterations): dcf, eard, normal, udt' at graph 0.02, graph 0.95 font ',9'
set xrange [0:1]
plot 'curve-ml-100k-cdae.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#31a354' pt 3 title 'dcf', \
  'curve-ml-100k-cdae.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#756bb1' pt 3 title 'eard', \
  'curve-ml-100k-cdae.dat' index 2 using 1:3 with linespoints lw 2 lc rgb '#000000' pt 7 title 'normal', \
  'curve-ml-100k-cdae.dat' index 3 using 1:3 with linespoints lw 2 lc rgb '#636363' pt 3 title 'udt'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'curve-ml-100k-cdae.pdf'
set title 'validation loss along training: ml-100k, cdae'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
set label 1 'one evaluation point only (eval_freq against the run''s iterations): dcf, eard, normal, udt' at graph 0.02, graph 0.95 font ',9'
set xrange [0:1]
plot 'curve-ml-100k-cdae.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#31a354' pt 3 title 'dcf', \
  'curve-ml-100k-cdae.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#756bb1' pt 3 title 'eard', \
  'curve-ml-100k-cdae.dat' index 2 using 1:3 with linespoints lw 2 lc rgb '#000000' pt 7 title 'normal', \
  'curve-ml-100k-cdae.dat' index 3 using 1:3 with linespoints lw 2 lc rgb '#636363' pt 3 title 'udt'
unset output
