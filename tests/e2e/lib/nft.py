#!/usr/bin/env python3
"""Runs nft commands through libnftables (the nft CLI is not installed; wharf links the same
library), printing what they print:  nft.py 'list table ip wharf'.
Also `nft.py --scope ROOT`: the chain scope wharf uses for a state root (engine/port/dnat_rules.h)."""
import ctypes
import os
import sys

if len(sys.argv) == 3 and sys.argv[1] == "--scope":
    h = 2166136261
    for b in os.path.realpath(sys.argv[2]).encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    print("%08x" % h)
    sys.exit(0)

lib = ctypes.CDLL("libnftables.so.1")
lib.nft_ctx_new.restype = ctypes.c_void_p
lib.nft_ctx_buffer_output.argtypes = [ctypes.c_void_p]
lib.nft_ctx_buffer_error.argtypes = [ctypes.c_void_p]
lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
for f in (lib.nft_ctx_get_output_buffer, lib.nft_ctx_get_error_buffer):
    f.argtypes = [ctypes.c_void_p]
    f.restype = ctypes.c_char_p
lib.nft_ctx_free.argtypes = [ctypes.c_void_p]
ctx = lib.nft_ctx_new(0)
lib.nft_ctx_buffer_output(ctx)
lib.nft_ctx_buffer_error(ctx)
rc = lib.nft_run_cmd_from_buffer(ctx, sys.argv[1].encode())
sys.stdout.write(lib.nft_ctx_get_output_buffer(ctx).decode())
sys.stderr.write(lib.nft_ctx_get_error_buffer(ctx).decode())
lib.nft_ctx_free(ctx)
sys.exit(0 if rc == 0 else 1)
