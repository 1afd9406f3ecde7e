# denoisebench report: edit and rerun with `gnuplot curve-ml-100k-gmf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'curve-ml-100k-gmf.png'
set title 'validation loss along training: ml-100k, gmf'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
set label 1 'one evaluation point only (eval_freq against the run''s iterations): deca-p, deca, ensemble, normal, r-ce, t-ce, wbpr' at graph 0.02, graph 0.95 font ',9'
set xrange [499:501]
plot 'curve-ml-100k-gmf.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#17becf' pt 11 title 'deca-p', \
  'curve-ml-100k-gmf.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#2ca02c' pt 13 title 'deca', \
  'curve-ml-100k-gmf.dat' index 2 using 1:3 with linespoints lw 2 lc rgb '#8c564b' pt 9 title 'ensemble', \
  'curve-ml-100k-gmf.dat' index 3 using 1:3 with linespoints lw 2 lc rgb '#000000' pt 7 title 'normal', \
  'curve-ml-100k-gmf.dat' index 4 using 1:3 with linespoints lw 2 lc rgb '#1f77b4' pt 9 title 'r-ce', \
  'curve-ml-100k-gmf.dat' index 5 using 1:3 with linespoints lw 2 lc rgb '#d62728' pt 5 title 't-ce', \
  'curve-ml-100k-gmf.dat' index 6 using 1:3 with linespoints lw 2 lc rgb '#9467bd' pt 5 title 'wbpr'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'curve-ml-100k-gmf.pdf'
set title 'validation loss along training: ml-100k, gmf'
set xlabel 'iteration (batches)'
set ylabel 'validation loss (the method''s criterion, summed over batches)'
set key outside right
set grid
set label 1 'one evaluation point only (eval_freq against the run''s iterations): deca-p, deca, ensemble, normal, r-ce, t-ce, wbpr' at graph 0.02, graph 0.95 font ',9'
set xrange [499:501]
plot 'curve-ml-100k-gmf.dat' index 0 using 1:3 with linespoints lw 2 lc rgb '#17becf' pt 11 title 'deca-p', \
  'curve-ml-100k-gmf.dat' index 1 using 1:3 with linespoints lw 2 lc rgb '#2ca02c' pt 13 title 'deca', \
  'curve-ml-100k-gmf.dat' index 2 using 1:3 with linespoints lw 2 lc rgb '#8c564b' pt 9 title 'ensemble', \
  'curve-ml-100k-gmf.dat' index 3 using 1:3 with linespoints lw 2 lc rgb '#000000' pt 7 title 'normal', \
  'curve-ml-100k-gmf.dat' index 4 using 1:3 with linespoints lw 2 lc rgb '#1f77b4' pt 9 title 'r-ce', \
  'curve-ml-100k-gmf.dat' index 5 using 1:3 with linespoints lw 2 lc rgb '#d62728' pt 5 title 't-ce', \
  'curve-ml-100k-gmf.dat' index 6 using 1:3 with linespoints lw 2 lc rgb '#9467bd' pt 5 title 'wbpr'
unset output
