# denoisebench report: edit and rerun with `gnuplot loss-ml-100k-neumf.gp` here.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'loss-ml-100k-neumf.png'
set title 'training loss of clean and noisy positives: ml-100k, neumf'
set xlabel 'iteration'
set ylabel 'mean BCE since the previous point'
set key outside right font ',8' samplen 2
set grid
plot 'loss-ml-100k-neumf.dat' index 0 using 1:5 with linespoints pt 7 lc 1 dt 1 lw 2 title 'deca-p clean', \
  '' index 0 using 1:6 with linespoints pt 6 lc 1 dt 2 lw 2 title 'deca-p noisy', \
  'loss-ml-100k-neumf.dat' index 1 using 1:5 with linespoints pt 7 lc 2 dt 1 lw 2 title 'deca clean', \
  '' index 1 using 1:6 with linespoints pt 6 lc 2 dt 2 lw 2 title 'deca noisy', \
  'loss-ml-100k-neumf.dat' index 2 using 1:5 with linespoints pt 7 lc 3 dt 1 lw 2 title 'ensemble clean', \
  '' index 2 using 1:6 with linespoints pt 6 lc 3 dt 2 lw 2 title 'ensemble noisy', \
  'loss-ml-100k-neumf.dat' index 3 using 1:5 with linespoints pt 7 lc 4 dt 1 lw 2 title 'normal clean', \
  '' index 3 using 1:6 with linespoints pt 6 lc 4 dt 2 lw 2 title 'normal noisy', \
  'loss-ml-100k-neumf.dat' index 4 using 1:5 with linespoints pt 7 lc 5 dt 1 lw 2 title 'r-ce clean', \
  '' index 4 using 1:6 with linespoints pt 6 lc 5 dt 2 lw 2 title 'r-ce noisy', \
  'loss-ml-100k-neumf.dat' index 5 using 1:5 with linespoints pt 7 lc 6 dt 1 lw 2 title 't-ce clean', \
  '' index 5 using 1:6 with linespoints pt 6 lc 6 dt 2 lw 2 title 't-ce noisy', \
  'loss-ml-100k-neumf.dat' index 6 using 1:5 with linespoints pt 7 lc 7 dt 1 lw 2 title 'wbpr clean', \
  '' index 6 using 1:6 with linespoints pt 6 lc 7 dt 2 lw 2 title 'wbpr noisy'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'loss-ml-100k-neumf.pdf'
replot
unset output
