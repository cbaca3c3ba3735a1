"""Stable placement of students into rotations when couples apply together (Roth-Peranson)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from heapq import heapify, heappush, heapreplace, nsmallest
from itertools import chain, repeat
from typing import Literal, NamedTuple

import numpy as np

from exchanges.placement import _capacity, _first_ranks, stable_match

__all__ = ["ALGORITHM_VERSION", "Blocking", "CoupleResult", "blocking", "stable_match_with_couples"]

ALGORITHM_VERSION = "hr-couples-roth-peranson/1"  # stored with a run, as placement's is

Couple = tuple[Hashable, Hashable, Sequence[tuple[Hashable, Hashable]]]  # a, b, ranked pairs


@dataclass(frozen=True)
class CoupleResult:
    """``placement``: every single (``student_prefs`` order), then both members of every
    couple (``couple_prefs`` order), mapped to a rotation or ``None``. ``stable``: nothing
    blocks it. ``couples_involved``: when not stable, the couples of the oscillation or
    instability, in ``couple_prefs`` order (never empty then). ``rounds``: passes made."""

    placement: dict[Hashable, Hashable | None]
    stable: bool
    couples_involved: list[Hashable]
    rounds: int


class Blocking(NamedTuple):
    """One reason a placement is not a stable matching (see ``blocking``)."""

    kind: Literal["over_capacity", "unacceptable", "apart", "student", "couple"]
    who: Hashable  # a rotation (over_capacity), a student, or a couple id
    where: Hashable  # a rotation, a pair of rotations, or None


def stable_match_with_couples(
    student_prefs: Mapping[Hashable, Sequence[Hashable]],
    couple_prefs: Mapping[Hashable, Couple],
    rotation_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
    *,
    max_rounds: int = 100,
) -> CoupleResult:
    """Place singles and couples, a couple's two members together or not at all.

    Roth & Peranson (1999), as the NRMP does: student-proposing deferred acceptance for the
    singles, then each couple in turn proposes its pairs in order and is held only where
    both rotations would take their member (two seats of one rotation if the pair names it
    twice). Whoever that displaces proposes again; a couple displaced from one seat leaves
    the other and proposes its next pair. The seat it leaves may be wanted by someone turned
    away before, so when nobody is left to propose, every blocking single and couple leaves
    its place and proposes again from the entry it blocks with: one more round. It stops
    when nothing blocks (``stable=True``), when a placement comes back (an oscillation) or
    after ``max_rounds`` rounds. A market with couples may have no stable matching, and
    this may miss one that exists.

    Args:
        student_prefs: each single student mapped to the rotations they want, best first.
        couple_prefs: couple id mapped to ``(student_a, student_b, pairs)``, ``pairs``
            ranking pairs ``(rotation_a, rotation_b)``, best first.
        rotation_prefs: each rotation mapped to the students it accepts, best first.
        capacities: seats per rotation (non-negative integers).
        max_rounds: the bound on rounds (at least 1).

    Returns:
        A ``CoupleResult``. Whatever ``stable`` says, capacities and mutual acceptability
        hold and a couple is on one of its pairs or both its members are unplaced. When
        ``stable`` is True nothing blocks either (``blocking`` returns ``[]``): no single
        and rotation they prefer that ranks them and has a free seat or someone it ranks
        lower; no couple and pair it prefers whose rotations would each take their member,
        the couple's own seats counting as free, two seats needed if the rotations are one.
        Without couples it is exactly ``exchanges.placement.stable_match``. Identical input
        gives identical output; the order of ``student_prefs`` and ``couple_prefs`` may
        matter, that of ``rotation_prefs`` and ``capacities`` does not.

    Edge cases are ``stable_match``'s: unknown rotations accept nobody (nor a pair naming
    one), a missing capacity is 0, rotations' lists ignore students who do not apply, the
    first occurrence of a duplicate counts.

    Raises:
        TypeError, ValueError: a capacity that is not a non-negative integer.
        ValueError: ``max_rounds < 1``; a pair that is not two rotations; a student who
            applies twice (in one couple, single and in a couple, in two couples).
    """
    if max_rounds < 1:
        raise ValueError(f"max_rounds must be at least 1, got {max_rounds}")
    seen = set(student_prefs)
    for couple, (a, b, pairs) in couple_prefs.items():
        if a == b or a in seen or b in seen:
            raise ValueError(f"couple {couple!r}: a student who applies twice")
        seen.update((a, b))
        if any(len(p) != 2 for p in pairs):
            raise ValueError(f"couple {couple!r}: a pair that is not two rotations")
    if not couple_prefs:
        return CoupleResult(stable_match(student_prefs, rotation_prefs, capacities), True, [], 1)
    return _Market(student_prefs, couple_prefs, rotation_prefs, capacities).run(max_rounds)


def _indices(index: dict, lists: list) -> np.ndarray:
    """The index of every item of the lists, one after the other; -1 for an unknown one."""
    return np.fromiter(map(index.get, chain.from_iterable(lists), repeat(-1)), dtype=np.int64)


def _kept(owner: np.ndarray, code: np.ndarray, ok: np.ndarray, n: int) -> tuple:
    """Entries to keep (``ok`` and first of their ``code``); offsets of each owner's."""
    keep = np.zeros(code.size, dtype=bool)
    keep[np.flatnonzero(ok)[np.unique(code[ok], return_index=True)[1]]] = True
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner[keep], minlength=n), out=offsets[1:])
    return keep, offsets.tolist()


class _Market:
    """The deferred-acceptance state on integer indices (as in ``placement``).

    Students 0..S-1 are the singles, S+2c and S+2c+1 the members of couple c. A student's
    key at a rotation is ``rank * N + student`` (smaller is better, ``key % N`` is the
    student); ``held[r]`` is a max-heap of negated keys. On the stack, s < N is a single
    and ``N + c`` a couple.
    """

    def __init__(self, student_prefs, couple_prefs, rotation_prefs, capacities) -> None:
        singles, couples, rotations = list(student_prefs), list(couple_prefs), list(rotation_prefs)
        members = [m for c in couples for m in couple_prefs[c][:2]]
        self.students, self.couples, self.rotations = singles + members, couples, rotations
        self.S, self.C, self.N = S, C, N = len(singles), len(couples), len(self.students)
        R = len(rotations)
        seats = [_capacity(r, capacities) for r in rotations]
        student_index = dict(zip(self.students, range(N), strict=True))
        rotation_index = dict(zip(rotations, range(R), strict=True))

        # Rotation side: the key of every (student, rotation) the rotation ranks, first
        # occurrence counting; looked up by student * R + rotation.
        r_lists = list(rotation_prefs.values())
        lengths = np.fromiter(map(len, r_lists), dtype=np.int64, count=R)
        r_student = _indices(student_index, r_lists)
        r_rotation = np.repeat(np.arange(R, dtype=np.int64), lengths)
        r_rank = np.arange(r_student.size, dtype=np.int64) - np.repeat(
            np.cumsum(lengths) - lengths, lengths
        )
        usable = (r_student >= 0) & (np.asarray(seats, dtype=np.int64)[r_rotation] > 0)
        pair_code, first = np.unique(r_student[usable] * R + r_rotation[usable], return_index=True)
        # A last code above all others keeps searchsorted in range; its key says "not taken".
        pair_code = np.append(pair_code, 1 << 62)
        pair_key = np.append(r_rank[usable][first] * N + r_student[usable][first], -1)

        def keys(student: np.ndarray, rotation: np.ndarray) -> np.ndarray:
            """Key of each student at each rotation, -1 where the rotation does not take them."""
            code = student * R + rotation
            pos = np.searchsorted(pair_code, code)
            return np.where((rotation >= 0) & (pair_code[pos] == code), pair_key[pos], -1)

        # Singles: their acceptable entries, duplicates dropped, in their order.
        s_lists = list(student_prefs.values())
        s_student = np.repeat(np.arange(S, dtype=np.int64), [len(v) for v in s_lists])
        s_rotation = _indices(rotation_index, s_lists)
        s_key = keys(s_student, s_rotation)
        ok, offsets = _kept(s_student, s_student * R + s_rotation, s_key >= 0, S)
        self.e_student, self.e_rotation, self.e_key = s_student[ok], s_rotation[ok], s_key[ok]
        self.start, self.end = offsets[:-1], offsets[1:]
        self.erot, self.ekey = self.e_rotation.tolist(), self.e_key.tolist()

        # Couples: pairs both rotations accept, with two seats when they are the same.
        pairs = [list(chain.from_iterable(couple_prefs[c][2])) for c in couples]
        p_couple = np.repeat(np.arange(C, dtype=np.int64), [len(v) // 2 for v in pairs])
        p_rotation = _indices(rotation_index, pairs)
        r1, r2 = p_rotation[0::2], p_rotation[1::2]
        k1, k2 = keys(S + 2 * p_couple, r1), keys(S + 2 * p_couple + 1, r2)
        ok = (k1 >= 0) & (k2 >= 0) & ((r1 != r2) | (np.asarray([*seats, 0])[r1] >= 2))
        ok, offsets = _kept(p_couple, (p_couple * R + r1) * R + r2, ok, C)
        self.cstart, self.cend = offsets[:-1], offsets[1:]
        self.pr1, self.pr2, self.pk1, self.pk2 = (x[ok].tolist() for x in (r1, r2, k1, k2))

        self.free = seats
        self.held: list[list[int]] = [[] for _ in range(R)]
        self.where = [-1] * N  # rotation of each student, -1 if unplaced
        self.key_held = [0] * N  # the key each placed student is held with
        self.nxt = list(self.start)  # singles: next entry to propose
        self.cnxt = list(self.cstart)  # couples: next pair to propose
        self.cplaced = [False] * C
        self.moved: set[int] = set()  # couples displaced or reset in this round

    def drain(self, stack: list[int]) -> None:
        """Propose until the stack is empty: a single down its list, whoever it displaces
        going on at once (``placement.stable_match``'s hot loop), a couple in ``couple``."""
        N, S, free, held, where = self.N, self.S, self.free, self.held, self.where
        key_held, nxt, end, erot, ekey = self.key_held, self.nxt, self.end, self.erot, self.ekey
        while stack:
            s = stack.pop()
            if s >= N:
                self.couple(s - N, stack)
                continue
            i = nxt[s]
            while i < end[s]:
                r, key = erot[i], ekey[i]
                i += 1
                if free[r]:
                    free[r] -= 1
                    heappush(held[r], -key)
                    nxt[s], where[s], key_held[s] = i, r, key
                    break
                heap = held[r]
                worst = -heap[0]
                if key < worst:
                    heapreplace(heap, -key)
                    nxt[s], where[s], key_held[s] = i, r, key
                    s = worst % N
                    where[s] = -1
                    if s >= S:
                        self.displaced(s, stack)
                        break
                    i = nxt[s]
            else:
                nxt[s] = i

    def takes(self, e: int) -> bool:
        """Would the rotations of pair entry ``e`` take both members now?"""
        r1, r2, k1, k2 = self.pr1[e], self.pr2[e], self.pk1[e], self.pk2[e]
        free, held = self.free, self.held
        if r1 != r2:
            return bool(free[r1] or k1 < -held[r1][0]) and bool(free[r2] or k2 < -held[r2][0])
        # Both must beat the holders that would leave: none, the worst, or the two worst.
        return free[r1] >= 2 or max(k1, k2) < -nsmallest(2 - free[r1], held[r1])[-1]

    def couple(self, c: int, stack: list[int]) -> None:
        """Couple c proposes its pairs in order until one is held or none is left."""
        e = next((e for e in range(self.cnxt[c], self.cend[c]) if self.takes(e)), None)
        if e is None:
            self.cnxt[c] = self.cend[c]
            return
        self.cnxt[c], self.cplaced[c] = e + 1, True
        # Both seated first: the two displaced may be the members of one couple.
        v1 = self.place(self.S + 2 * c, self.pr1[e], self.pk1[e])
        for v in (v1, self.place(self.S + 2 * c + 1, self.pr2[e], self.pk2[e])):
            if v >= self.S:
                self.displaced(v, stack)
            elif v >= 0:
                stack.append(v)

    def place(self, x: int, r: int, key: int) -> int:
        """Seat x at r; return whom that displaced, or -1."""
        self.where[x], self.key_held[x] = r, key
        if self.free[r]:
            self.free[r] -= 1
            heappush(self.held[r], -key)
            return -1
        v = -heapreplace(self.held[r], -key) % self.N
        self.where[v] = -1
        return v

    def leave(self, *students: int) -> None:
        """The students give up their seats (the unplaced ones have none)."""
        for x in students:
            if self.where[x] >= 0:
                heap = self.held[self.where[x]]
                heap.remove(-self.key_held[x])
                heapify(heap)
                self.free[self.where[x]] += 1
                self.where[x] = -1

    def displaced(self, member: int, stack: list[int]) -> None:
        """A couple lost one seat: it gives up the other and proposes its next pair."""
        c = (member - self.S) // 2
        if self.cplaced[c]:  # not yet handled (both its members may have been displaced)
            self.cplaced[c] = False
            self.leave(self.S + 2 * c, self.S + 2 * c + 1)
            stack.append(self.N + c)
            self.moved.add(c)

    def blockers(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Blocking singles and couples, each with the first entry it blocks with."""
        pairs = zip(self.free, self.held, strict=True)
        # A free seat takes any key; a rotation with no seats (and no heap) takes none.
        worst = np.array([1 << 62 if f else (-h[0] if h else -1) for f, h in pairs], np.int64)
        placed = np.asarray(self.where[: self.S]) >= 0
        current = np.where(placed, np.asarray(self.nxt) - 1, self.end)
        entry = np.arange(self.e_key.size)
        hit = (entry < current[self.e_student]) & (self.e_key < worst[self.e_rotation])
        singles, first = np.unique(self.e_student[hit], return_index=True)
        single_blocks = list(zip(singles.tolist(), entry[hit][first].tolist(), strict=True))
        couple_blocks = []
        for c in range(self.C):
            stop = self.cnxt[c] - 1 if self.cplaced[c] else self.cend[c]
            if stop == self.cstart[c]:
                continue
            a, b = self.S + 2 * c, self.S + 2 * c + 1
            seats = (self.where[a], self.key_held[a], self.where[b], self.key_held[b])
            self.leave(a, b)  # the couple's own seats count as free
            e = next((e for e in range(self.cstart[c], stop) if self.takes(e)), None)
            if self.cplaced[c]:
                self.place(a, *seats[:2]), self.place(b, *seats[2:])
            if e is not None:
                couple_blocks.append((c, e))
        return single_blocks, couple_blocks

    def run(self, max_rounds: int) -> CoupleResult:
        self.drain(list(range(self.S - 1, -1, -1)))  # the singles, in their order
        for c in range(self.C):  # then each couple, to the end of what it sets off
            self.drain([self.N + c])
        seen: dict[bytes, int] = {}
        moved_in: list[set[int]] = [set(), self.moved]
        rounds = 1
        while True:
            single_blocks, couple_blocks = self.blockers()
            if not single_blocks and not couple_blocks:
                return self.result(True, set(), rounds)
            state = np.asarray(self.where, dtype=np.int64).tobytes()
            if state in seen or rounds >= max_rounds:
                window = range(seen[state] + 1, rounds + 1) if state in seen else [rounds]
                involved = {c for c, _ in couple_blocks}.union(*(moved_in[k] for k in window))
                return self.result(False, involved or set().union(*moved_in), rounds)
            seen[state] = rounds
            rounds += 1
            self.moved = set()
            moved_in.append(self.moved)
            for s, e in single_blocks:
                self.leave(s)
                self.nxt[s] = e
            for c, e in couple_blocks:
                self.leave(self.S + 2 * c, self.S + 2 * c + 1)
                self.cplaced[c], self.cnxt[c] = False, e
                self.moved.add(c)
            stack = [self.N + c for c, _ in reversed(couple_blocks)]
            stack += [s for s, _ in reversed(single_blocks)]
            self.drain(stack)

    def result(self, stable: bool, involved: set[int], rounds: int) -> CoupleResult:
        names = [self.rotations[r] if r >= 0 else None for r in self.where]
        placement = dict(zip(self.students, names, strict=True))
        return CoupleResult(placement, stable, [self.couples[c] for c in sorted(involved)], rounds)


def blocking(
    result: CoupleResult | Mapping[Hashable, Hashable | None],
    student_prefs: Mapping[Hashable, Sequence[Hashable]],
    couple_prefs: Mapping[Hashable, Couple],
    rotation_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
) -> list[Blocking]:
    """What keeps ``result`` from being a stable matching of this input (``[]`` if nothing).

    Written apart from the algorithm, plainly, with the input rules and the definitions of
    ``stable_match_with_couples``. In this order: ``over_capacity`` (rotation, None);
    ``unacceptable`` (student, rotation) or (couple, pair): a single or a couple placed where
    it or the rotation did not rank the other, or a couple on a pair not in its list;
    ``apart`` (couple, pair): one member placed, not the other; then the blocking singles,
    ``student`` (student, rotation), and couples, ``couple`` (couple, pair).
    """
    placement = result.placement if isinstance(result, CoupleResult) else result
    ranks = {r: _first_ranks(v) for r, v in rotation_prefs.items()}
    seats = {r: _capacity(r, capacities) for r in rotation_prefs}
    holders: dict[Hashable, list[Hashable]] = {}
    for s, r in placement.items():
        holders.setdefault(r, []).append(s)
    holders.pop(None, None)

    def rank(r: Hashable, s: Hashable) -> int | None:
        return ranks.get(r, {}).get(s)

    def takes(r: Hashable, newcomers: list[Hashable], leaving: tuple = ()) -> bool:
        """r keeps its best ``seats[r]`` students: would all the newcomers be among them?"""
        own = [rank(r, s) for s in newcomers]
        if None in own:
            return False
        # A holder the rotation does not rank (an invalid placement) is never ahead.
        ahead = [rank(r, h) for h in holders.get(r, []) if h not in leaving]
        return sum(k is not None and k < max(own) for k in ahead) + len(own) <= seats.get(r, 0)

    over = [r for r, h in holders.items() if len(h) > seats.get(r, 0)]
    found = [Blocking("over_capacity", r, None) for r in over]
    apart, blocks = [], []
    # A single is a unit of one student whose options are one rotation each.
    units = [(s, (s,), [(r,) for r in prefs]) for s, prefs in student_prefs.items()]
    units += [(c, (a, b), [tuple(p) for p in pairs]) for c, (a, b, pairs) in couple_prefs.items()]
    for who, members, options in units:
        here, listed = tuple(placement.get(m) for m in members), list(dict.fromkeys(options))
        single = len(members) == 1
        ranked = [rank(r, m) for r, m in zip(here, members, strict=True)]
        if None in here and any(r is not None for r in here):
            apart.append(Blocking("apart", who, here))
        elif None not in here and (here not in listed or None in ranked):
            found.append(Blocking("unacceptable", who, here[0] if single else here))
        for option in listed:
            if option == here:
                break
            wants: dict[Hashable, list[Hashable]] = {}
            for r, m in zip(option, members, strict=True):
                wants.setdefault(r, []).append(m)
            if all(takes(r, newcomers, members) for r, newcomers in wants.items()):
                kind, where = ("student", option[0]) if single else ("couple", option)
                blocks.append(Blocking(kind, who, where))
    return found + apart + blocks
