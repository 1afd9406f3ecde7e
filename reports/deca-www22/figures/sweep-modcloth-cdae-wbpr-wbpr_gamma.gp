# denoisebench report: edit and rerun with `gnuplot sweep-modcloth-cdae-wbpr-wbpr_gamma.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'sweep-modcloth-cdae-wbpr-wbpr_gamma.png'
set title 'modcloth, cdae, wbpr'
set xlabel 'wbpr_gamma'
set ylabel 'recall@20 (mean and sd over seeds)'
set grid
set key off
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot 'sweep-modcloth-cdae-wbpr-wbpr_gamma.dat' using 1:2:3 with yerrorlines pt 7
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'sweep-modcloth-cdae-wbpr-wbpr_gamma.pdf'
set title 'modcloth, cdae, wbpr'
set xlabel 'wbpr_gamma'
set ylabel 'recall@20 (mean and sd over seeds)'
set grid
set key off
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot 'sweep-modcloth-cdae-wbpr-wbpr_gamma.dat' using 1:2:3 with yerrorlines pt 7
unset output
