# denoisebench report: edit and rerun with `gnuplot panels-modcloth-gmf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'panels-modcloth-gmf.png'
set multiplot layout 1,2 title 'training BCE of clean and noisy positives: modcloth, gmf'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 500
set title 'deca'
set yrange [0.524401:4.30937]
plot 'panels-modcloth-gmf.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#2ca02c' pt 12 title 'noisy'
set title 'deca-p'
set yrange [0.524401:4.30937]
plot 'panels-modcloth-gmf.dat' index 1 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#17becf' pt 11 title 'clean', \
  '' index 1 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#17becf' pt 10 title 'noisy'
unset multiplot
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'panels-modcloth-gmf.pdf'
set multiplot layout 1,2 title 'training BCE of clean and noisy positives: modcloth, gmf'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 500
set title 'deca'
set yrange [0.524401:4.30937]
plot 'panels-modcloth-gmf.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#2ca02c' pt 12 title 'noisy'
set title 'deca-p'
set yrange [0.524401:4.30937]
plot 'panels-modcloth-gmf.dat' index 1 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#17becf' pt 11 title 'clean', \
  '' index 1 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#17becf' pt 10 title 'noisy'
unset multiplot
unset output
