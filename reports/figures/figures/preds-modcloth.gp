# denoisebench report: edit and rerun with `gnuplot preds-modcloth.gp` here; the plot
# commands come twice, for the PNG and for the PDF.
set terminal pngcairo size 800,500 noenhanced font 'sans,10'
set output 'preds-modcloth.png'
set multiplot layout 1,2 title 'mean prediction differences on clean and noisy train positives: modcloth'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'mean |P_a - P_b| (probability)'
set yrange [0:*]
set xtics rotate by -20 font ',8'
set key outside bottom center horizontal
set grid ytics
set title '(a) two models'
plot 'preds-modcloth.dat' index 0 using 2:xtic(1) title 'clean positives' lc rgb '#4575b4', '' index 0 using 3 title 'noisy positives' lc rgb '#d73027'
set title '(b) one model, two seeds'
plot 'preds-modcloth.dat' index 1 using 2:xtic(1) title 'clean positives' lc rgb '#4575b4', '' index 1 using 3 title 'noisy positives' lc rgb '#d73027'
unset multiplot
set terminal pdfcairo size 8.00in,5.00in noenhanced font 'sans,10'
set output 'preds-modcloth.pdf'
set multiplot layout 1,2 title 'mean prediction differences on clean and noisy train positives: modcloth'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'mean |P_a - P_b| (probability)'
set yrange [0:*]
set xtics rotate by -20 font ',8'
set key outside bottom center horizontal
set grid ytics
set title '(a) two models'
plot 'preds-modcloth.dat' index 0 using 2:xtic(1) title 'clean positives' lc rgb '#4575b4', '' index 0 using 3 title 'noisy positives' lc rgb '#d73027'
set title '(b) one model, two seeds'
plot 'preds-modcloth.dat' index 1 using 2:xtic(1) title 'clean positives' lc rgb '#4575b4', '' index 1 using 3 title 'noisy positives' lc rgb '#d73027'
unset multiplot
unset output
