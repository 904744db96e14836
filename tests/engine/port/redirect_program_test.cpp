// The socket redirect's BPF side as values: the bytes of map keys and values (what the
// program and the kernel read), which published ports give which entries, who owns an entry,
// and the connect4 program's shape. Pure: nothing is sent to the kernel here (the kernel's
// verdict on the program: socket_redirect_priv_test.cpp).
#include "engine/port/redirect_program.h"

#include <cstring>
#include <doctest/doctest.h>
#include <netinet/in.h>

using namespace wharf;
using namespace wharf::engine;

namespace {

const std::string kId(64, 'a');
const std::string kScope = "0123abcd";

template <typename T> std::vector<int> bytes(const T& v)
{
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof b);
    return std::vector<int>(b, b + sizeof b);
}

std::vector<std::string> formatted(const std::vector<PublishedPort>& ports, std::string_view ip = "10.88.0.2")
{
    std::vector<std::string> out;
    for (const auto& e : redirect_entries(7, kScope, kId, ip, ports))
        out.push_back(format_redirect_entry(e));
    return out;
}

bool is_jump(const bpf_insn& i)
{
    return BPF_CLASS(i.code) == BPF_JMP && BPF_OP(i.code) != BPF_CALL && BPF_OP(i.code) != BPF_EXIT;
}

} // namespace

TEST_SUITE("port.redirect") {

TEST_CASE("RedirectEntry_KeyAndValueBytesAreNetworkOrderAsTheProgramReadsThem")
{
    auto entries = redirect_entries(0x0102030405060708ull, kScope, kId, "10.88.0.2",
                                    {{"127.0.0.1", 8080, 80, PortProto::Tcp}});
    REQUIRE(entries.size() == 1);
    // netns cookie (native u64), 127.0.0.1, port 8080 = 0x1f90 big-endian, zero pad.
    CHECK(bytes(entries[0].key) == std::vector<int>{8, 7, 6, 5, 4, 3, 2, 1, 127, 0, 0, 1, 0x1f, 0x90, 0, 0});
    const uint64_t owner = redirect_owner_tag(kScope, kId);
    std::vector<int> value = {10, 88, 0, 2, 0, 80, 0, 0, 0xcd, 0xab, 0x23, 0x01, 0, 0, 0, 0};
    for (int b : bytes(owner))
        value.push_back(b);
    CHECK(bytes(entries[0].value) == value);
    CHECK(format_redirect_entry(entries[0]) == "127.0.0.1:8080 -> 10.88.0.2:80");
}

TEST_CASE("RedirectEntries_LoopbackForTheDefaultBindingTheAddressForAnotherNoneForIpv6OrUdp")
{
    CHECK(formatted({{"0.0.0.0", 8080, 80, PortProto::Tcp}}) ==
          std::vector<std::string>{"127.0.0.1:8080 -> 10.88.0.2:80"});
    CHECK(formatted({{"", 8080, 80, PortProto::Tcp}}) ==
          std::vector<std::string>{"127.0.0.1:8080 -> 10.88.0.2:80"});
    CHECK(formatted({{"192.0.2.7", 9000, 90, PortProto::Tcp}}) ==
          std::vector<std::string>{"192.0.2.7:9000 -> 10.88.0.2:90"});
    CHECK(formatted({{"127.0.0.2", 9000, 90, PortProto::Tcp}}) ==
          std::vector<std::string>{"127.0.0.2:9000 -> 10.88.0.2:90"});
    CHECK(formatted({{"::", 8080, 80, PortProto::Tcp}, {"::1", 8081, 80, PortProto::Tcp}}).empty());
    CHECK(formatted({{"0.0.0.0", 53, 53, PortProto::Udp}, {"0.0.0.0", 99, 99, PortProto::Sctp}}).empty());
    CHECK(formatted({{"0.0.0.0", 0, 80, PortProto::Tcp}, {"0.0.0.0", 80, 0, PortProto::Tcp}}).empty());
    // What -p 8080:80 gives: a listener on 0.0.0.0 and one on [::]; and another port.
    CHECK(formatted({{"0.0.0.0", 8080, 80, PortProto::Tcp},
                     {"::", 8080, 80, PortProto::Tcp},
                     {"0.0.0.0", 8080, 80, PortProto::Udp},
                     {"127.0.0.1", 443, 8443, PortProto::Tcp}}) ==
          std::vector<std::string>{"127.0.0.1:443 -> 10.88.0.2:8443", "127.0.0.1:8080 -> 10.88.0.2:80"});
    // Not an IPv4 container address: nothing to send connections to.
    CHECK(formatted({{"0.0.0.0", 8080, 80, PortProto::Tcp}}, "").empty());
    CHECK(formatted({{"0.0.0.0", 8080, 80, PortProto::Tcp}}, "fd00::2").empty());
}

TEST_CASE("RedirectOwner_RemoveTakesTheContainersSweepTheDeadOfItsScopeOnly")
{
    CHECK(redirect_scope_tag("0123abcd") == 0x0123abcdu);
    CHECK(redirect_scope_tag("ffffffff") == 0xffffffffu);
    CHECK(redirect_scope_tag("0123abcz") == 0);
    CHECK(redirect_scope_tag("") == 0);
    const std::string other(64, 'b');
    CHECK(redirect_owner_tag(kScope, kId) != redirect_owner_tag(kScope, other));
    CHECK(redirect_owner_tag(kScope, kId) != redirect_owner_tag("0123abce", kId));

    auto value = redirect_entries(1, kScope, kId, "10.88.0.2", {{"0.0.0.0", 8080, 80, PortProto::Tcp}}).at(0).value;
    CHECK(redirect_owned_by(value, kScope, kId));
    CHECK_FALSE(redirect_owned_by(value, kScope, other));
    CHECK_FALSE(redirect_owned_by(value, "0123abce", kId));

    CHECK(redirect_stale(value, kScope, {}));
    CHECK(redirect_stale(value, kScope, {other}));
    CHECK_FALSE(redirect_stale(value, kScope, {other, kId}));
    CHECK_FALSE(redirect_stale(value, "0123abce", {})); // another state root's: never this one's to sweep
}

TEST_CASE("Connect4Program_ShapeEveryPathAllowsAndOnlyTheDestinationIsWritten")
{
    const auto prog = connect4_program(42);
    REQUIRE(prog.size() == kConnect4ProgramLength);
    // r6 = ctx first; ends with r0 = 1; exit.
    CHECK(prog[0].code == (BPF_ALU64 | BPF_MOV | BPF_X));
    CHECK((prog[0].dst_reg == 6 && prog[0].src_reg == 1));
    const size_t allow = prog.size() - 2;
    CHECK(prog[allow].code == (BPF_ALU64 | BPF_MOV | BPF_K));
    CHECK((prog[allow].dst_reg == 0 && prog[allow].imm == 1));
    CHECK(prog.back().code == (BPF_JMP | BPF_EXIT));

    // Every jump goes to `allow`, forward; nothing else sets r0 but the two helper calls.
    std::vector<int> helpers;
    for (size_t i = 0; i < prog.size(); ++i) {
        const auto& in = prog[i];
        if (is_jump(in))
            CHECK_MESSAGE(i + 1 + static_cast<size_t>(in.off) == allow, "jump at " << i);
        if (in.code == (BPF_JMP | BPF_CALL))
            helpers.push_back(in.imm);
        else if (i != allow && in.code != 0 && // code 0: the second half of the ld_imm64
                 (BPF_CLASS(in.code) == BPF_ALU64 || BPF_CLASS(in.code) == BPF_LDX || BPF_CLASS(in.code) == BPF_LD))
            CHECK_MESSAGE(in.dst_reg != 0, "r0 set at " << i);
    }
    CHECK(helpers == std::vector<int>{BPF_FUNC_get_netns_cookie, BPF_FUNC_map_lookup_elem});

    // The map: one ld_imm64 with our fd, into r1 of the lookup.
    int loads = 0;
    for (size_t i = 0; i + 1 < prog.size(); ++i)
        if (prog[i].code == (BPF_LD | BPF_DW | BPF_IMM)) {
            ++loads;
            CHECK(prog[i].src_reg == BPF_PSEUDO_MAP_FD);
            CHECK(prog[i].imm == 42);
            CHECK((prog[i + 1].code == 0 && prog[i + 1].imm == 0));
        }
    CHECK(loads == 1);

    // Stores: into the context only user_ip4 and user_port (4 bytes each); onto the stack
    // exactly the 16 bytes of the key, each once.
    std::vector<int> stack(sizeof(RedirectKey), 0);
    std::vector<int> ctx_writes;
    for (const auto& in : prog) {
        const int cls = BPF_CLASS(in.code);
        if (cls != BPF_STX && cls != BPF_ST)
            continue;
        const int size = BPF_SIZE(in.code) == BPF_DW ? 8
            : BPF_SIZE(in.code) == BPF_W             ? 4
            : BPF_SIZE(in.code) == BPF_H             ? 2
                                                     : 1;
        if (in.dst_reg == 10) {
            REQUIRE(in.off < 0);
            for (int b = 0; b < size; ++b)
                ++stack.at(static_cast<size_t>(static_cast<int>(sizeof(RedirectKey)) + in.off + b));
        } else {
            CHECK(in.dst_reg == 6);
            CHECK(size == 4);
            ctx_writes.push_back(in.off);
        }
    }
    CHECK(stack == std::vector<int>(sizeof(RedirectKey), 1));
    CHECK(ctx_writes == std::vector<int>{offsetof(bpf_sock_addr, user_ip4), offsetof(bpf_sock_addr, user_port)});
    // And the first test is the protocol: only TCP goes further.
    CHECK(prog[1].off == offsetof(bpf_sock_addr, protocol));
    CHECK((prog[2].code == (BPF_JMP | BPF_JNE | BPF_K) && prog[2].imm == IPPROTO_TCP));
    // Then the bound source: its first octet 127 leaves the connection alone.
    CHECK((prog[3].code == (BPF_LDX | BPF_MEM | BPF_DW) && prog[3].off == offsetof(bpf_sock_addr, sk)));
    CHECK((prog[4].code == (BPF_LDX | BPF_MEM | BPF_B) && prog[4].off == offsetof(bpf_sock, src_ip4)));
    CHECK((prog[5].code == (BPF_JMP | BPF_JEQ | BPF_K) && prog[5].imm == 127));
}
}
