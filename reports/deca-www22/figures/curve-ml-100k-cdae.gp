# denoisebench report: edit and rerun with `gnuplot curve-ml-100k-cdae.gp` here.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'curve-ml-100k-cdae.png'
set title 'validation loss along training: ml-100k, cdae'
set xlabel 'iteration'
set ylabel 'validation loss'
set key outside right
set grid
plot 'curve-ml-100k-cdae.dat' index 0 using 1:3 with linespoints title 'deca-p', 'curve-ml-100k-cdae.dat' index 1 using 1:3 with linespoints title 'deca', 'curve-ml-100k-cdae.dat' index 2 using 1:3 with linespoints title 'ensemble', 'curve-ml-100k-cdae.dat' index 3 using 1:3 with linespoints title 'normal', 'curve-ml-100k-cdae.dat' index 4 using 1:3 with linespoints title 'r-ce', 'curve-ml-100k-cdae.dat' index 5 using 1:3 with linespoints title 't-ce', 'curve-ml-100k-cdae.dat' index 6 using 1:3 with linespoints title 'wbpr'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'curve-ml-100k-cdae.pdf'
replot
unset output
