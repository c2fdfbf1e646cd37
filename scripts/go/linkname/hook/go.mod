module slotlab/linkname/hook

go 1.19
