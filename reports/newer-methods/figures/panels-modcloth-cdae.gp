# denoisebench report: edit and rerun with `gnuplot panels-modcloth-cdae.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'panels-modcloth-cdae.png'
set multiplot layout 2,3 title 'training BCE of clean and noisy positives: modcloth, cdae'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 500
set title 'normal'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#000000' pt 7 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#000000' pt 6 title 'noisy'
set title 'dcf'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 1 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#31a354' pt 3 title 'clean', \
  '' index 1 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#31a354' pt 2 title 'noisy'
set title 'eard'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 2 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#756bb1' pt 3 title 'clean', \
  '' index 2 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#756bb1' pt 2 title 'noisy'
set title 'udt'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 3 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#636363' pt 3 title 'clean', \
  '' index 3 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#636363' pt 2 title 'noisy'
unset multiplot
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'panels-modcloth-cdae.pdf'
set multiplot layout 2,3 title 'training BCE of clean and noisy positives: modcloth, cdae'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 500
set title 'normal'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#000000' pt 7 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#000000' pt 6 title 'noisy'
set title 'dcf'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 1 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#31a354' pt 3 title 'clean', \
  '' index 1 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#31a354' pt 2 title 'noisy'
set title 'eard'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 2 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#756bb1' pt 3 title 'clean', \
  '' index 2 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#756bb1' pt 2 title 'noisy'
set title 'udt'
set yrange [0.222872:1.53158]
plot 'panels-modcloth-cdae.dat' index 3 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#636363' pt 3 title 'clean', \
  '' index 3 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#636363' pt 2 title 'noisy'
unset multiplot
unset output
