module slotlab/seedclaims

go 1.19
