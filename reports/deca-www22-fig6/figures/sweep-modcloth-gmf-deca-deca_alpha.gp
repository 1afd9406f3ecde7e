# denoisebench report: edit and rerun with `gnuplot sweep-modcloth-gmf-deca-deca_alpha.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'sweep-modcloth-gmf-deca-deca_alpha.png'
set title 'modcloth, gmf, deca'
set xlabel 'deca_alpha'
set ylabel 'recall@20 (mean and sd over seeds)'
set grid
set key off
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot 'sweep-modcloth-gmf-deca-deca_alpha.dat' using 1:2:3 with yerrorlines pt 7
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'sweep-modcloth-gmf-deca-deca_alpha.pdf'
set title 'modcloth, gmf, deca'
set xlabel 'deca_alpha'
set ylabel 'recall@20 (mean and sd over seeds)'
set grid
set key off
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot 'sweep-modcloth-gmf-deca-deca_alpha.dat' using 1:2:3 with yerrorlines pt 7
unset output
