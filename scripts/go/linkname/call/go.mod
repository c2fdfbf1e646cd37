module slotlab/linkname/call

go 1.19
