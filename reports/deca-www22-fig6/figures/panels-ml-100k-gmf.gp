# denoisebench report: edit and rerun with `gnuplot panels-ml-100k-gmf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'panels-ml-100k-gmf.png'
set multiplot layout 1,1 title 'training BCE of clean and noisy positives: ml-100k, gmf'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 200
set title 'deca'
set yrange [0.289391:0.889365]
plot 'panels-ml-100k-gmf.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#2ca02c' pt 12 title 'noisy'
unset multiplot
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'panels-ml-100k-gmf.pdf'
set multiplot layout 1,1 title 'training BCE of clean and noisy positives: ml-100k, gmf'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 200
set title 'deca'
set yrange [0.289391:0.889365]
plot 'panels-ml-100k-gmf.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 4 lc rgb '#2ca02c' pt 13 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 4 lc rgb '#2ca02c' pt 12 title 'noisy'
unset multiplot
unset output
