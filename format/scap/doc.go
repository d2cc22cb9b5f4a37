// Package scap reads sysdig and Falco .scap capture files, plain or gzip, and maps their
// events into syscam's event model.
package scap
