# denoisebench report: edit and rerun with `gnuplot curve-modcloth-cdae.gp` here.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'curve-modcloth-cdae.png'
set title 'validation loss along training: modcloth, cdae'
set xlabel 'iteration'
set ylabel 'validation loss'
set key outside right
set grid
plot 'curve-modcloth-cdae.dat' index 0 using 1:3 with linespoints title 'deca-p', 'curve-modcloth-cdae.dat' index 1 using 1:3 with linespoints title 'deca', 'curve-modcloth-cdae.dat' index 2 using 1:3 with linespoints title 'ensemble', 'curve-modcloth-cdae.dat' index 3 using 1:3 with linespoints title 'normal', 'curve-modcloth-cdae.dat' index 4 using 1:3 with linespoints title 'r-ce', 'curve-modcloth-cdae.dat' index 5 using 1:3 with linespoints title 't-ce', 'curve-modcloth-cdae.dat' index 6 using 1:3 with linespoints title 'wbpr'
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'curve-modcloth-cdae.pdf'
replot
unset output
