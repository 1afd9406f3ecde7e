# denoisebench report: edit and rerun with `gnuplot sweep-modcloth-gmf-deca-deca_c1-deca_c2.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'sweep-modcloth-gmf-deca-deca_c1-deca_c2.png'
set title 'modcloth, gmf, deca: recall@20'
set xlabel 'deca_c1'
set ylabel 'deca_c2'
set palette rgbformulae 33,13,10
set cblabel 'recall@20'
set offsets 0.5,0.5,0.5,0.5
set style fill solid 1.0 noborder
plot 'sweep-modcloth-gmf-deca-deca_c1-deca_c2.dat' using 1:2:(0.5):(0.5):5:xtic(6):ytic(7) with boxxyerror fillcolor palette notitle, \
  '' using 1:2:(sprintf('%.3f', $5)) with labels notitle
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'sweep-modcloth-gmf-deca-deca_c1-deca_c2.pdf'
set title 'modcloth, gmf, deca: recall@20'
set xlabel 'deca_c1'
set ylabel 'deca_c2'
set palette rgbformulae 33,13,10
set cblabel 'recall@20'
set offsets 0.5,0.5,0.5,0.5
set style fill solid 1.0 noborder
plot 'sweep-modcloth-gmf-deca-deca_c1-deca_c2.dat' using 1:2:(0.5):(0.5):5:xtic(6):ytic(7) with boxxyerror fillcolor palette notitle, \
  '' using 1:2:(sprintf('%.3f', $5)) with labels notitle
unset output
