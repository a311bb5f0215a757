"""Lay the career lattice out for an inline SVG: one column per role family, seniority upwards."""

from __future__ import annotations

from dataclasses import dataclass

from lti_tool.domain.roles import CareerLattice, TransitionKind

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 168, 52, 36, 48, 12
MAX_LINE = 20
DETOUR = 40  # room under the bottom row for moves that skip over a role in the same row


@dataclass(frozen=True)
class RoleNode:
    """A role box: position, wrapped name and whether it is the current role or a goal."""

    role_id: str
    name: str
    lines: tuple[str, ...]
    x: int
    y: int
    current: bool
    goal: bool

    @property
    def css_class(self) -> str:
        return " ".join(["cp-node", *(["cp-node--current"] if self.current else []),
                         *(["cp-node--goal"] if self.goal else [])])


@dataclass(frozen=True)
class TransitionArrow:
    """A move between two roles, drawn from the edge of one box to the edge of the other."""

    from_name: str
    to_name: str
    kind: str
    path: str


@dataclass(frozen=True)
class LatticeDrawing:
    width: int
    height: int
    nodes: tuple[RoleNode, ...]
    arrows: tuple[TransitionArrow, ...]


def draw_lattice(lattice: CareerLattice, current_role_id: str | None,
                 goal_ids: set[str]) -> LatticeDrawing:
    """Columns by family (in order of first appearance), rows by upward depth, top = senior."""
    families = list(dict.fromkeys(role.family or "Other" for role in lattice.roles))
    depth = _upward_depths(lattice)
    top = max(depth.values(), default=0)
    nodes: dict[str, RoleNode] = {}
    for role in lattice.roles:
        column = families.index(role.family or "Other")
        row = top - depth[role.id]
        nodes[role.id] = RoleNode(
            role.id, role.name, _wrap(role.name), MARGIN + column * (NODE_W + GAP_X),
            MARGIN + row * (NODE_H + GAP_Y), role.id == current_role_id, role.id in goal_ids)
    arrows = tuple(_arrow(nodes[t.from_role_id], nodes[t.to_role_id], str(t.kind))
                   for t in lattice.transitions)
    width = 2 * MARGIN + len(families) * NODE_W + max(len(families) - 1, 0) * GAP_X
    height = 2 * MARGIN + (top + 1) * NODE_H + top * GAP_Y + DETOUR
    return LatticeDrawing(width, height, tuple(nodes.values()), arrows)


def _upward_depths(lattice: CareerLattice) -> dict[str, int]:
    """How many upward moves lead to each role at most (0 for entry roles)."""
    depth = {role.id: 0 for role in lattice.roles}
    upward = [t for t in lattice.transitions if t.kind == TransitionKind.UPWARD]
    for _ in range(len(depth)):
        changed = False
        for t in upward:
            if depth[t.to_role_id] < depth[t.from_role_id] + 1:
                depth[t.to_role_id] = min(depth[t.from_role_id] + 1, len(depth))
                changed = True
        if not changed:
            break
    return depth


def _arrow(source: RoleNode, target: RoleNode, kind: str) -> TransitionArrow:
    """From the side of `source` facing `target` to the facing side of `target`.

    A move within one row that skips a column curves underneath instead of crossing roles.
    """
    sx, sy = source.x + NODE_W / 2, source.y + NODE_H / 2
    tx, ty = target.x + NODE_W / 2, target.y + NODE_H / 2
    if sy == ty and abs(tx - sx) > NODE_W + GAP_X:
        bottom = sy + NODE_H / 2
        return TransitionArrow(source.name, target.name, kind,
                               f"M {sx} {bottom} Q {(sx + tx) / 2} {bottom + 2 * DETOUR - 8} "
                               f"{tx} {bottom + 4}")
    if abs(ty - sy) >= abs(tx - sx) * NODE_H / NODE_W:
        sign = 1 if ty > sy else -1
        sy, ty = sy + sign * NODE_H / 2, ty - sign * (NODE_H / 2 + 4)
    else:
        sign = 1 if tx > sx else -1
        sx, tx = sx + sign * NODE_W / 2, tx - sign * (NODE_W / 2 + 4)
    return TransitionArrow(source.name, target.name, kind, f"M {sx} {sy} L {tx} {ty}")


def _wrap(name: str) -> tuple[str, ...]:
    """At most two lines of about MAX_LINE characters; longer names are cut with an ellipsis."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= MAX_LINE:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], (" ".join(lines[1:]))[: MAX_LINE - 1] + "…"]
    return tuple(line if len(line) <= MAX_LINE + 4 else line[: MAX_LINE - 1] + "…"
                 for line in lines) or ("",)
