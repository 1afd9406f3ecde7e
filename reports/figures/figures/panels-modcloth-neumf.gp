# denoisebench report: edit and rerun with `gnuplot panels-modcloth-neumf.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'panels-modcloth-neumf.png'
set multiplot layout 1,1 title 'training BCE of clean and noisy positives: modcloth, neumf'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 500
set title 'normal'
set yrange [0.186559:0.616059]
plot 'panels-modcloth-neumf.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 3 lc rgb '#000000' pt 7 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 3 lc rgb '#000000' pt 6 title 'noisy'
unset multiplot
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'panels-modcloth-neumf.pdf'
set multiplot layout 1,1 title 'training BCE of clean and noisy positives: modcloth, neumf'
set xlabel 'iteration (batches)'
set ylabel 'mean BCE per positive'
set key outside bottom center horizontal font ',8' samplen 2
set grid
set xtics 500
set title 'normal'
set yrange [0.186559:0.616059]
plot 'panels-modcloth-neumf.dat' index 0 using 1:2 with linespoints dt 1 lw 2 pi 3 lc rgb '#000000' pt 7 title 'clean', \
  '' index 0 using 1:3 with linespoints dt 2 lw 2 pi 3 lc rgb '#000000' pt 6 title 'noisy'
unset multiplot
unset output
