// Package chart draws the bot's charts as PNG images, in-process: the CRS
// cutoffs of categories over time and the pool's distribution. It takes
// the stored draws and pool snapshots as they are (it never fills a gap or
// smooths a line) and a printer for the words, numbers and dates of the
// reply's language. Drawing uses github.com/go-analyze/charts' renderer
// (pure Go, fonts embedded); Cache keeps what was drawn until the data
// changes.
package chart
