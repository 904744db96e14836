#!/usr/bin/env python3
"""The socket redirect's kernel state (engine/port/socket_redirect.h), seen from outside
wharf through bpf(2) with ctypes, for the end-to-end tests:

  bpf.py progs     the wharf_connect4 programs attached to the cgroup2 root: "ID NAME" lines
  bpf.py entries   their map's entries: "COOKIE IP:PORT -> IP:PORT SCOPE OWNER" lines
  bpf.py cookie    this process's network namespace cookie (SO_NETNS_COOKIE)
  bpf.py detach    detaches every wharf_connect4 program (clean-up after a broken run)

Needs root (CAP_SYS_ADMIN or CAP_BPF); x86_64 and aarch64 syscall numbers."""
import ctypes
import os
import platform
import socket
import struct
import sys

SYS_BPF = {"x86_64": 321, "aarch64": 280}[platform.machine()]
BPF_MAP_LOOKUP_ELEM, BPF_MAP_GET_NEXT_KEY = 1, 4
BPF_PROG_DETACH, BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID = 9, 13, 14
BPF_OBJ_GET_INFO_BY_FD, BPF_PROG_QUERY = 15, 16
BPF_CGROUP_INET4_CONNECT = 10
PROG_NAME = b"wharf_connect4"
KEY = struct.Struct("<QIHH")         # netns cookie, ip4 and port in network order, pad
VALUE = struct.Struct("<IHHIIQ")     # ip4, port (network order), pad, scope, pad, owner

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(bytes(attr), 128)
    r = libc.syscall(SYS_BPF, cmd, buf, 128)
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r, buf.raw


def addr(b):
    return ctypes.addressof(b) if b is not None else 0


def cgroup_root():
    for line in open("/proc/self/mountinfo"):
        left, _, right = line.partition(" - ")
        f = left.split()
        if right.split()[0] == "cgroup2" and f[3] == "/":
            return f[4]
    sys.exit("bpf.py: no cgroup2 mount")


def attached_ids(cg_fd):
    ids = (ctypes.c_uint32 * 64)()
    attr = struct.pack("<IIIIQI", cg_fd, BPF_CGROUP_INET4_CONNECT, 0, 0, addr(ids), 64)
    _, out = bpf(BPF_PROG_QUERY, attr)
    count = struct.unpack_from("<I", out, 24)[0]
    return list(ids[:count])


def fd_by_id(cmd, id_):
    fd, _ = bpf(cmd, struct.pack("<I", id_))
    return fd


def info(fd, size, map_ids=None):
    buf = ctypes.create_string_buffer(size)
    if map_ids is not None:  # bpf_prog_info: nr_map_ids at 52, map_ids at 56
        struct.pack_into("<IQ", buf, 52, len(map_ids), addr(map_ids))
    bpf(BPF_OBJ_GET_INFO_BY_FD, struct.pack("<IIQ", fd, size, addr(buf)))
    return buf.raw


def wharf_progs():
    """(cgroup fd, [(prog id, prog fd, map fd)]) for every attached wharf_connect4."""
    cg = os.open(cgroup_root(), os.O_RDONLY | os.O_DIRECTORY)
    out = []
    for pid in attached_ids(cg):
        try:
            pfd = fd_by_id(BPF_PROG_GET_FD_BY_ID, pid)
        except FileNotFoundError:
            continue
        raw = info(pfd, 80)
        name = raw[64:80].split(b"\0")[0]
        if name != PROG_NAME:
            os.close(pfd)
            continue
        map_ids = (ctypes.c_uint32 * 4)()
        raw = info(pfd, 80, map_ids)
        nr = struct.unpack_from("<I", raw, 52)[0]
        mfd = fd_by_id(BPF_MAP_GET_FD_BY_ID, map_ids[0]) if nr else -1
        out.append((pid, pfd, mfd))
    return cg, out


def entries(mfd):
    key = ctypes.create_string_buffer(KEY.size)
    nxt = ctypes.create_string_buffer(KEY.size)
    val = ctypes.create_string_buffer(VALUE.size)
    first = True
    while True:
        try:
            bpf(BPF_MAP_GET_NEXT_KEY, struct.pack("<IIQQ", mfd, 0, 0 if first else addr(key), addr(nxt)))
        except FileNotFoundError:
            return
        first = False
        ctypes.memmove(key, nxt, KEY.size)
        try:
            bpf(BPF_MAP_LOOKUP_ELEM, struct.pack("<IIQQ", mfd, 0, addr(key), addr(val)))
        except FileNotFoundError:
            continue
        yield KEY.unpack(key.raw), VALUE.unpack(val.raw)


def ip_port(ip4, port):
    return "%s:%d" % (socket.inet_ntoa(struct.pack("<I", ip4)), socket.ntohs(port))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "cookie":
        s = socket.socket()
        print(struct.unpack("<Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0])
        return
    cg, progs = wharf_progs()
    for pid, pfd, mfd in progs:
        if cmd == "progs":
            print(pid, PROG_NAME.decode())
        elif cmd == "entries":
            for (cookie, kip, kport, _), (vip, vport, _, scope, _, owner) in entries(mfd):
                print(cookie, ip_port(kip, kport), "->", ip_port(vip, vport), "%08x" % scope, "%016x" % owner)
        elif cmd == "detach":
            bpf(BPF_PROG_DETACH, struct.pack("<IIII", cg, pfd, BPF_CGROUP_INET4_CONNECT, 0))
            print("detached", pid)
        else:
            sys.exit(__doc__)
    if cmd not in ("progs", "entries", "detach"):
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
