# denoisebench report: edit and rerun with `gnuplot panels-ml-100k-cdae.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'panels-ml-100k-cdae.png'
set multiplot layout 3,3 title 'training BCE of clean and noisy positives: ml-100k, cdae'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 20000
set title 'normal'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#000000' pt 7 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#000000' pt 6 title 'noisy'
set title 't-ce'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 1 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#d62728' pt 5 title 'clean', \
  '' index 1 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#d62728' pt 4 title 'noisy'
set title 'r-ce'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 2 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#1f77b4' pt 9 title 'clean', \
  '' index 2 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#1f77b4' pt 8 title 'noisy'
set title 'deca'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 3 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'clean', \
  '' index 3 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#2ca02c' pt 12 title 'noisy'
set title 'deca-p'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 4 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#17becf' pt 11 title 'clean', \
  '' index 4 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#17becf' pt 10 title 'noisy'
set title 'dcf'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 5 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#31a354' pt 3 title 'clean', \
  '' index 5 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#31a354' pt 2 title 'noisy'
set title 'udt'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 6 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#636363' pt 3 title 'clean', \
  '' index 6 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#636363' pt 2 title 'noisy'
unset multiplot
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'panels-ml-100k-cdae.pdf'
set multiplot layout 3,3 title 'training BCE of clean and noisy positives: ml-100k, cdae'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 20000
set title 'normal'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#000000' pt 7 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#000000' pt 6 title 'noisy'
set title 't-ce'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 1 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#d62728' pt 5 title 'clean', \
  '' index 1 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#d62728' pt 4 title 'noisy'
set title 'r-ce'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 2 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#1f77b4' pt 9 title 'clean', \
  '' index 2 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#1f77b4' pt 8 title 'noisy'
set title 'deca'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 3 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'clean', \
  '' index 3 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#2ca02c' pt 12 title 'noisy'
set title 'deca-p'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 4 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#17becf' pt 11 title 'clean', \
  '' index 4 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#17becf' pt 10 title 'noisy'
set title 'dcf'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 5 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#31a354' pt 3 title 'clean', \
  '' index 5 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#31a354' pt 2 title 'noisy'
set title 'udt'
set yrange [-0.137219:4.34129]
plot 'panels-ml-100k-cdae.dat' index 6 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#636363' pt 3 title 'clean', \
  '' index 6 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#636363' pt 2 title 'noisy'
unset multiplot
unset output
