// The pure pieces of the bpf(2) wrappers: the command names in their errors, the verifier's
// log folded onto one line, and the byte views of keys and values.
#include "engine/sys/bpf.h"

#include <doctest/doctest.h>

using namespace wharf;

TEST_SUITE("sys.bpf") {

TEST_CASE("Bpf_CommandNamesTheWrappedOnesAndNoOther")
{
    CHECK(std::string(sys::bpf_command_name(BPF_MAP_CREATE)) == "BPF_MAP_CREATE");
    CHECK(std::string(sys::bpf_command_name(BPF_MAP_GET_NEXT_KEY)) == "BPF_MAP_GET_NEXT_KEY");
    CHECK(std::string(sys::bpf_command_name(BPF_PROG_LOAD)) == "BPF_PROG_LOAD");
    CHECK(std::string(sys::bpf_command_name(BPF_OBJ_GET_INFO_BY_FD)) == "BPF_OBJ_GET_INFO_BY_FD");
    CHECK(std::string(sys::bpf_command_name(BPF_PROG_QUERY)) == "BPF_PROG_QUERY");
    CHECK(std::string(sys::bpf_command_name(BPF_BTF_LOAD)) == "?");
    CHECK(std::string(sys::bpf_command_name(-1)) == "?");
}

TEST_CASE("Bpf_VerifierSummaryOneLineTrailingNewlinesAndNulsGone")
{
    CHECK(sys::bpf_verifier_summary("") == "");
    CHECK(sys::bpf_verifier_summary("0: (bf) r6 = r1\n1: (85) call 122\n\n") == "0: (bf) r6 = r1;1: (85) call 122");
    CHECK(sys::bpf_verifier_summary(std::string("R0 invalid mem access 'map_value_or_null'\n\0\0", 45)) ==
          "R0 invalid mem access 'map_value_or_null'");
    CHECK(sys::bpf_verifier_summary("a\n\nb") == "a;;b");
}

TEST_CASE("Bpf_VerifierSummaryKeepsTheLast600Bytes")
{
    const std::string head(100, 'h'), tail(600, 't');
    CHECK(sys::bpf_verifier_summary(tail) == tail); // exactly 600: whole
    CHECK(sys::bpf_verifier_summary(head + tail + "\n") == "…" + tail);
    CHECK(sys::bpf_verifier_summary(head + "x" + std::string(599, 't')) == "…x" + std::string(599, 't'));
}

TEST_CASE("Bpf_BytesViewTheWholeValueInPlace")
{
    struct Key {
        uint64_t a;
        uint32_t b;
        uint16_t c, d;
    } key{1, 2, 3, 4};
    auto in = sys::bpf_bytes(key);
    CHECK(in.size() == sizeof key);
    CHECK(static_cast<const void*>(in.data()) == static_cast<const void*>(&key));
    auto out = sys::bpf_writable_bytes(key);
    CHECK(out.size() == 16);
    out[8] = std::byte{7};
    CHECK(key.b == 7); // little-endian x86_64/aarch64: the low byte of b
}

}
