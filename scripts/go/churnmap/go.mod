module slotlab/churnmap

go 1.19
