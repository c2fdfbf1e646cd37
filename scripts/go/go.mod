module slotlab

go 1.19
