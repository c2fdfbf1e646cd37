#!/usr/bin/python3
"""Writes the hand-made seeds of fuzz/corpus/differential/ (format:
fuzz/harness/op_stream.hpp). Run once when the format changes; findings are
added beside them by `scripts/slotlab fuzz` (as crash-<sha1> files), never
rewritten here."""
import os

VERSION = 1
INSERT, INSERT_OR_ASSIGN, ERASE, FIND, FIND_AND_WRITE = 0, 7, 10, 16, 19
ERASE_IF, ERASE_FIRST, RESERVE, CLEAR, CHECK, COPY_OR_MOVE = 21, 22, 24, 25, 26, 27
INSERT_RUN, ERASE_RUN = 28, 30
WEAK, COLLIDE, STRONG = 0, 1, 2


def config(hasher=WEAK, strings=False, domain=2, spacing=0, every_op=False):
    """domain: 0..3 -> 8, 32, 256, 4096 keys; spacing: 0..3 -> 1, 16, 2^32, 2^56."""
    return hasher | strings << 2 | domain << 3 | spacing << 5 | every_op << 7


def key(k, domain):
    return bytes([k & 0xFF, k >> 8]) if domain == 3 else bytes([k & 0xFF])


def seed(cfg, ops):
    return bytes([VERSION, cfg]) + b"".join(ops)


def churn(domain, n, rounds):
    """Fill, then erase and insert fresh keys: tombstones, reuse, rebuilds."""
    ops = [bytes([INSERT_RUN]) + key(0, domain) + bytes([n - 1])]
    for r in range(rounds):
        ops += [bytes([ERASE]) + key(r * 3 % n, domain), bytes([INSERT]) + key(n + r, domain),
                bytes([FIND]) + key(r, domain)]
    return ops + [bytes([CHECK])]


def insert_runs(first, n):
    """INSERT_RUN ops covering keys first .. first+n-1, 64 at a time."""
    ops = []
    for start in range(first, first + n, 64):
        count = min(64, first + n - start)
        ops.append(bytes([INSERT_RUN]) + key(start, 3) + bytes([count - 1]))
    return ops


def padded(data, size):
    """Every op costs one unit of an input's budget (32 + 2 x its length), a run one per
    key: FIND ops at the end lengthen the input until its own ops fit in the budget."""
    assert len(data) <= size <= 512
    pad = bytes([FIND, 0]) * ((size - len(data)) // 2)
    return data + pad + bytes([FIND]) * ((size - len(data)) % 2)


SEEDS = {
    "churn-weak-u64": seed(config(WEAK), churn(2, 48, 40)),
    "churn-collide-u64": seed(config(COLLIDE), churn(2, 64, 40)),
    "churn-strong-strings": seed(config(STRONG, strings=True), churn(2, 40, 30)),
    "churn-weak-strings": seed(config(WEAK, strings=True), churn(2, 40, 30)),
    "same-home-slot": seed(config(WEAK, spacing=3, every_op=True), churn(1, 20, 20)),
    "grow-shrink-4096": seed(config(STRONG, domain=3), [
        bytes([INSERT_RUN]) + key(0, 3) + bytes([63]), bytes([INSERT_RUN]) + key(64, 3) + bytes([63]),
        bytes([ERASE_RUN]) + key(0, 3) + bytes([63]), bytes([INSERT_RUN]) + key(200, 3) + bytes([63]),
        bytes([ERASE_IF, 128]), bytes([CHECK])]),
    "copy-and-move": seed(config(COLLIDE), [
        bytes([INSERT_RUN, 0, 40]), bytes([ERASE_RUN, 5, 9]), bytes([COPY_OR_MOVE, 0]),
        bytes([INSERT, 7]), bytes([COPY_OR_MOVE, 1]), bytes([ERASE, 20]), bytes([COPY_OR_MOVE, 2]),
        bytes([INSERT_OR_ASSIGN, 21]), bytes([COPY_OR_MOVE, 3]), bytes([CHECK])]),
    "small-domain-everything": seed(config(WEAK, domain=0, every_op=True), [
        bytes([INSERT, 1]), bytes([INSERT, 2]), bytes([INSERT, 1]), bytes([INSERT_OR_ASSIGN, 2]),
        bytes([FIND_AND_WRITE, 1]), bytes([FIND, 3]), bytes([ERASE_FIRST]), bytes([RESERVE, 10]),
        bytes([ERASE_IF, 200]), bytes([INSERT_RUN, 0, 7]), bytes([CLEAR]), bytes([INSERT, 5]),
        bytes([ERASE, 5]), bytes([ERASE, 5]), bytes([ERASE_FIRST]), bytes([CHECK])]),
    "erase-while-iterating": seed(config(COLLIDE, domain=2, spacing=1), [
        bytes([INSERT_RUN, 0, 63]), bytes([ERASE_IF, 100]), bytes([INSERT_RUN, 64, 63]),
        bytes([ERASE_FIRST]), bytes([ERASE_FIRST]), bytes([ERASE_IF, 50]), bytes([CHECK])]),
    # goswiss at scale (run by differential_deep and by the corpus replay; <= 512 bytes):
    # 906 distinct keys split a table of 1024 slots (7/8 = 896) into two behind a
    # directory of 2, then erases, fresh inserts and an erase_if across both tables.
    "goswiss-split": padded(seed(config(STRONG, domain=3), insert_runs(0, 906) + [
        bytes([ERASE_RUN]) + key(100, 3) + bytes([63]),
        bytes([INSERT_RUN]) + key(2000, 3) + bytes([63]),
        bytes([ERASE_IF, 128]), bytes([CHECK])]), 512),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "differential")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, f"seed-{name}"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
