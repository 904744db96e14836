#include "engine/port/redirect_program.h"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <cstddef>
#include <map>
#include <netinet/in.h>

namespace wharf::engine {

namespace {

std::optional<uint32_t> parse_ipv4(std::string_view text)
{
    in_addr a{};
    if (inet_pton(AF_INET, std::string(text).c_str(), &a) != 1)
        return std::nullopt;
    return a.s_addr; // network order, as the kernel keeps it
}

std::string format_ipv4_port(uint32_t ip4, uint16_t port)
{
    char buf[INET_ADDRSTRLEN] = {};
    in_addr a{};
    a.s_addr = ip4;
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(port));
}

} // namespace

uint32_t redirect_scope_tag(std::string_view scope)
{
    uint32_t v = 0;
    auto [end, ec] = std::from_chars(scope.data(), scope.data() + scope.size(), v, 16);
    return ec == std::errc() && end == scope.data() + scope.size() ? v : 0;
}

uint64_t redirect_owner_tag(std::string_view scope, std::string_view container_id)
{
    uint64_t h = 14695981039346656037ull;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
    };
    mix(scope);
    mix("/");
    mix(container_id);
    return h;
}

std::vector<RedirectEntry> redirect_entries(uint64_t netns_cookie, std::string_view scope,
                                            std::string_view container_id, std::string_view container_ip,
                                            const std::vector<PublishedPort>& ports)
{
    auto target = parse_ipv4(container_ip);
    if (!target)
        return {};
    const uint32_t scope_tag = redirect_scope_tag(scope);
    const uint64_t owner = redirect_owner_tag(scope, container_id);
    std::map<std::pair<uint32_t, uint16_t>, RedirectEntry> out; // by address and port, in host order
    for (const auto& p : ports) {
        if (p.proto != PortProto::Tcp || p.host_port == 0 || p.container_port == 0)
            continue;
        // The default binding listens on every local address; of those, the socket layer
        // takes loopback only (other local addresses stay with DNAT: listing them would go
        // stale as interfaces come and go).
        const std::string published = p.host_ip.empty() || p.host_ip == "0.0.0.0" ? "127.0.0.1" : p.host_ip;
        auto ip = parse_ipv4(published);
        if (!ip)
            continue; // IPv6: the container has IPv4 only; the proxy serves it
        RedirectKey key{netns_cookie, *ip, htons(p.host_port), 0};
        out[{ntohl(*ip), p.host_port}] = {key, RedirectValue{*target, htons(p.container_port), 0, scope_tag, 0, owner}};
    }
    std::vector<RedirectEntry> entries;
    for (const auto& [_, e] : out)
        entries.push_back(e);
    return entries;
}

bool redirect_owned_by(const RedirectValue& value, std::string_view scope, std::string_view container_id)
{
    return value.scope == redirect_scope_tag(scope) && value.owner == redirect_owner_tag(scope, container_id);
}

bool redirect_stale(const RedirectValue& value, std::string_view scope, const std::set<std::string>& live_ids)
{
    if (value.scope != redirect_scope_tag(scope))
        return false;
    return std::none_of(live_ids.begin(), live_ids.end(),
                        [&](const std::string& id) { return value.owner == redirect_owner_tag(scope, id); });
}

std::string format_redirect_entry(const RedirectEntry& entry)
{
    return format_ipv4_port(entry.key.ip4, entry.key.port) + " -> " +
        format_ipv4_port(entry.value.ip4, entry.value.port);
}

// ---- The program -------------------------------------------------------------------------

namespace {

// One constexpr helper per instruction form, named as the kernel's filter.h macros are
// (BPF_MOV64_REG, BPF_LDX_MEM, …), so the program reads like bpftool's disassembly.
enum Reg : uint8_t { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

constexpr bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
    return bpf_insn{code, dst, src, off, imm};
}
/// dst = src
constexpr bpf_insn mov64_reg(Reg dst, Reg src)
{
    return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
/// dst = imm
constexpr bpf_insn mov64_imm(Reg dst, int32_t imm)
{
    return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
/// dst += imm
constexpr bpf_insn add64_imm(Reg dst, int32_t imm)
{
    return insn(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm);
}
/// dst = *(size *)(src + off)
constexpr bpf_insn ldx_mem(uint8_t size, Reg dst, Reg src, int16_t off)
{
    return insn(BPF_LDX | BPF_MEM | size, dst, src, off, 0);
}
/// *(size *)(dst + off) = src
constexpr bpf_insn stx_mem(uint8_t size, Reg dst, Reg src, int16_t off)
{
    return insn(BPF_STX | BPF_MEM | size, dst, src, off, 0);
}
/// *(size *)(dst + off) = imm
constexpr bpf_insn st_mem(uint8_t size, Reg dst, int16_t off, int32_t imm)
{
    return insn(BPF_ST | BPF_MEM | size, dst, 0, off, imm);
}
/// if dst <op> imm goto pc + 1 + off
constexpr bpf_insn jmp_imm(uint8_t op, Reg dst, int32_t imm, int16_t off)
{
    return insn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}
/// r0 = helper(r1, …, r5); r1–r5 are clobbered
constexpr bpf_insn call(int32_t helper)
{
    return insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper);
}
/// dst = the map behind fd (the verifier swaps in its address): the first half of a 16-byte
/// ld_imm64; ld_imm64_high() is the second, holding the upper 32 bits of the immediate.
constexpr bpf_insn ld_map_fd(Reg dst, int fd)
{
    return insn(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, fd);
}
constexpr bpf_insn ld_imm64_high()
{
    return insn(0, 0, 0, 0, 0);
}
constexpr bpf_insn exit_insn()
{
    return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

constexpr int16_t ctx_field(size_t offset)
{
    return static_cast<int16_t>(offset);
}
// The key is built on the program's stack, just below the frame pointer r10.
constexpr int16_t kKey = -static_cast<int16_t>(sizeof(RedirectKey));
constexpr int16_t key_field(size_t offset)
{
    return static_cast<int16_t>(kKey + static_cast<int16_t>(offset));
}

} // namespace

Connect4Program connect4_program(int map_fd)
{
    constexpr int16_t allow = 24; // index of `r0 = 1`; a jump at i has off = allow - (i + 1)
    return {{
        /*  0 */ mov64_reg(R6, R1), // r6 = ctx, kept across the calls
        /*  1 */ ldx_mem(BPF_W, R2, R6, ctx_field(offsetof(bpf_sock_addr, protocol))),
        /*  2 */ jmp_imm(BPF_JNE, R2, IPPROTO_TCP, allow - 3), // not TCP: leave it alone
        // A socket bound to a loopback source before connect(2) could not talk to the
        // container (its packets would leave through the bridge from 127.x, unanswerable):
        // DNAT, which masquerades such connections, keeps it. 0 when not bound.
        /*  3 */ ldx_mem(BPF_DW, R2, R6, ctx_field(offsetof(bpf_sock_addr, sk))),
        /*  4 */ ldx_mem(BPF_B, R2, R2, static_cast<int16_t>(offsetof(bpf_sock, src_ip4))), // first octet
        /*  5 */ jmp_imm(BPF_JEQ, R2, 127, allow - 6),
        /*  6 */ mov64_reg(R1, R6),
        /*  7 */ call(BPF_FUNC_get_netns_cookie), // r0 = the cookie of the socket's netns
        /*  8 */ stx_mem(BPF_DW, R10, R0, key_field(offsetof(RedirectKey, netns_cookie))),
        /*  9 */ ldx_mem(BPF_W, R2, R6, ctx_field(offsetof(bpf_sock_addr, user_ip4))),
        /* 10 */ stx_mem(BPF_W, R10, R2, key_field(offsetof(RedirectKey, ip4))),
        // user_port reads as the 16-bit network-order port, zero-extended: its low half is
        // the two bytes the key holds.
        /* 11 */ ldx_mem(BPF_W, R2, R6, ctx_field(offsetof(bpf_sock_addr, user_port))),
        /* 12 */ stx_mem(BPF_H, R10, R2, key_field(offsetof(RedirectKey, port))),
        // Every key byte set: the verifier lets a privileged program hash uninitialised
        // stack (kernel 6.18), and the lookup would then miss at random.
        /* 13 */ st_mem(BPF_H, R10, key_field(offsetof(RedirectKey, pad)), 0),
        /* 14 */ ld_map_fd(R1, map_fd),
        /* 15 */ ld_imm64_high(),
        /* 16 */ mov64_reg(R2, R10),
        /* 17 */ add64_imm(R2, kKey), // r2 = &key
        /* 18 */ call(BPF_FUNC_map_lookup_elem), // r0 = &value or NULL
        /* 19 */ jmp_imm(BPF_JEQ, R0, 0, allow - 20), // not published: leave it alone
        /* 20 */ ldx_mem(BPF_W, R2, R0, static_cast<int16_t>(offsetof(RedirectValue, ip4))),
        /* 21 */ stx_mem(BPF_W, R6, R2, ctx_field(offsetof(bpf_sock_addr, user_ip4))),
        /* 22 */ ldx_mem(BPF_H, R2, R0, static_cast<int16_t>(offsetof(RedirectValue, port))),
        /* 23 */ stx_mem(BPF_W, R6, R2, ctx_field(offsetof(bpf_sock_addr, user_port))),
        /* 24 */ mov64_imm(R0, 1), // allow: 1 lets connect(2) go on (0 would fail it: EPERM)
        /* 25 */ exit_insn(),
    }};
}

} // namespace wharf::engine
