#!/usr/bin/env python3
"""An outside ranker for `denoisebench import`: popularity or random.

Writes user<TAB>rank<TAB>item lines (the layout `denoisebench import --topk`
reads) for every user of a split (DIR/NAME.test.negative, .test.noisy or
.valid.rating): the K most popular train items (popularity = train lines per
item, ties to the lower item id) or K items in a random order drawn from
--seed, leaving out the items the protocol masks for the user (train and
valid items; on the valid split the train items).  Standard library only.

  python3 examples/rank.py DIR [--name NAME] [--split test] [--k 20] [--random] [--seed 1]
"""
import argparse
import os
import random
import sys


SPLIT_FILES = {'test': '.test.negative', 'test_noisy': '.test.noisy',
               'valid': '.valid.rating'}


def read_lines(path):
    """(user, item) of every line of a DeCA-layout file."""
    with open(path) as f:
        for n, line in enumerate(f, 1):
            field = line.split('\t')
            if len(field) < 2:
                sys.exit('%s:%d: expected user<TAB>item' % (path, n))
            yield int(field[0]), int(field[1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('dir')
    p.add_argument('--name', help='file prefix (default: the directory name)')
    p.add_argument('--split', default='test', choices=SPLIT_FILES)
    p.add_argument('--k', type=int, default=20, help='list length (the largest K)')
    p.add_argument('--random', action='store_true', help='random instead of popular')
    p.add_argument('--seed', type=int, default=1)
    a = p.parse_args()
    name = a.name or os.path.basename(os.path.normpath(a.dir))
    base = os.path.join(a.dir, name)
    train = list(read_lines(base + '.train.rating'))
    n_items = 1 + max(i for _, i in train)  # denoisebench's item_num=0 rule
    seen = {}
    pop = [0] * n_items
    for u, i in train:
        pop[i] += 1
        seen.setdefault(u, set()).add(i)
    if a.split != 'valid':
        for u, i in read_lines(base + '.valid.rating'):
            seen.setdefault(u, set()).add(i)
    users = sorted({u for u, _ in read_lines(base + SPLIT_FILES[a.split])})
    order = sorted(range(n_items), key=lambda i: (-pop[i], i))
    rng = random.Random(a.seed)
    out = sys.stdout
    for u in users:
        if a.random:
            order = list(range(n_items))
            rng.shuffle(order)
        mask = seen.get(u, set())
        rank = 0
        for i in order:
            if i in mask:
                continue
            rank += 1
            out.write('%d\t%d\t%d\n' % (u, rank, i))
            if rank == a.k:
                break


if __name__ == '__main__':
    main()
