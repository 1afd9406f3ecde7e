# denoisebench report: edit and rerun with `gnuplot sweep-ml-100k-gmf-deca-deca_c1.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'sweep-ml-100k-gmf-deca-deca_c1.png'
set title 'ml-100k, gmf, deca'
set xlabel 'deca_c1'
set ylabel 'recall@20 (mean and sd over seeds)'
set grid
set key off
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot 'sweep-ml-100k-gmf-deca-deca_c1.dat' using 1:2:3 with yerrorlines pt 7
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'sweep-ml-100k-gmf-deca-deca_c1.pdf'
set title 'ml-100k, gmf, deca'
set xlabel 'deca_c1'
set ylabel 'recall@20 (mean and sd over seeds)'
set grid
set key off
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot 'sweep-ml-100k-gmf-deca-deca_c1.dat' using 1:2:3 with yerrorlines pt 7
unset output
