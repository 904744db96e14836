// The bpf(2) map wrappers against the real kernel, on a map of the test's own (freed with its
// last fd; nothing is loaded or attached): a missing key is a false, not an error; the walk
// sees every key once; info and get-fd-by-id find the map again; errors name the command and
// the subject; the netns cookie is the same from any socket of this namespace.
#include "engine/sys/bpf.h"

#include <doctest/doctest.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

using namespace wharf;

TEST_SUITE("sys.bpf") {

TEST_CASE("BpfMap_MissingKeysAreFalseAndTheWalkSeesEveryKey")
{
    auto map = sys::bpf_map_create({.type = BPF_MAP_TYPE_HASH,
                                    .key_size = sizeof(uint32_t),
                                    .value_size = sizeof(uint64_t),
                                    .max_entries = 8,
                                    .flags = BPF_F_NO_PREALLOC,
                                    .name = "wharf_test_map"});
    REQUIRE_MESSAGE(map.has_value(), (map ? "" : map.error().summary()));
    const int fd = map->get();

    uint32_t key = 7;
    uint64_t value = 0;
    auto missing = sys::bpf_map_lookup(fd, sys::bpf_bytes(key), sys::bpf_writable_bytes(value), "t");
    REQUIRE(missing.has_value());
    CHECK_FALSE(*missing);
    auto none = sys::bpf_map_delete(fd, sys::bpf_bytes(key), "t");
    REQUIRE(none.has_value());
    CHECK_FALSE(*none);
    uint32_t first = 0;
    auto empty = sys::bpf_map_next_key(fd, {}, sys::bpf_writable_bytes(first), "t");
    REQUIRE(empty.has_value());
    CHECK_FALSE(*empty);

    for (uint32_t k : {1u, 2u, 3u}) {
        const uint64_t v = 100 + k;
        REQUIRE(sys::bpf_map_update(fd, sys::bpf_bytes(k), sys::bpf_bytes(v), BPF_ANY, "t").has_value());
    }
    key = 2;
    auto found = sys::bpf_map_lookup(fd, sys::bpf_bytes(key), sys::bpf_writable_bytes(value), "t");
    REQUIRE(found.has_value());
    CHECK(*found);
    CHECK(value == 102);

    const uint64_t again = 0;
    auto exists = sys::bpf_map_update(fd, sys::bpf_bytes(key), sys::bpf_bytes(again), BPF_NOEXIST, "2 -> 0");
    REQUIRE_FALSE(exists.has_value());
    CHECK(exists.error().summary() == "bpf(2) BPF_MAP_UPDATE_ELEM 2 -> 0: File exists");

    std::set<uint32_t> seen;
    uint32_t cur = 0, next = 0;
    for (bool start = true;; start = false) {
        auto more = sys::bpf_map_next_key(fd, start ? std::span<const std::byte>() : sys::bpf_bytes(cur),
                                          sys::bpf_writable_bytes(next), "t");
        REQUIRE(more.has_value());
        if (!*more)
            break;
        CHECK(seen.insert(next).second);
        cur = next;
    }
    CHECK(seen == std::set<uint32_t>{1, 2, 3});

    auto deleted = sys::bpf_map_delete(fd, sys::bpf_bytes(key), "t");
    REQUIRE(deleted.has_value());
    CHECK(*deleted);
}

TEST_CASE("BpfMap_InfoAndGetFdByIdFindItAgain")
{
    auto map = sys::bpf_map_create({.type = BPF_MAP_TYPE_HASH,
                                    .key_size = 16,
                                    .value_size = 24,
                                    .max_entries = 4,
                                    .flags = BPF_F_NO_PREALLOC,
                                    .name = "wharf_test_info_and_more"}); // cut to 15 characters
    REQUIRE_MESSAGE(map.has_value(), (map ? "" : map.error().summary()));
    auto info = sys::bpf_map_get_info(map->get(), "t");
    REQUIRE(info.has_value());
    CHECK(info->name == "wharf_test_info");
    CHECK(info->type == BPF_MAP_TYPE_HASH);
    CHECK(info->key_size == 16);
    CHECK(info->value_size == 24);
    CHECK(info->max_entries == 4);
    CHECK(info->flags == BPF_F_NO_PREALLOC);

    auto by_id = sys::bpf_map_get_fd_by_id(info->id, "t");
    REQUIRE(by_id.has_value());
    REQUIRE(by_id->has_value());
    auto same = sys::bpf_map_get_info((*by_id)->get(), "t");
    REQUIRE(same.has_value());
    CHECK(same->id == info->id);

    const uint32_t id = info->id;
    map->reset();
    by_id->reset(); // the last fd: the kernel frees the map and its id
    // Freed after an RCU grace period (a deferred work item): until then the id may still
    // resolve. Up to 2 s.
    bool gone = false;
    for (int i = 0; i < 400 && !gone; ++i) {
        auto r = sys::bpf_map_get_fd_by_id(id, "t");
        REQUIRE(r.has_value());
        gone = !r->has_value();
        if (!gone)
            usleep(5000);
    }
    CHECK(gone);
}

TEST_CASE("BpfMap_CreateErrorNamesTheCommandAndTheMap")
{
    auto r = sys::bpf_map_create({.type = BPF_MAP_TYPE_HASH, .key_size = 0, .value_size = 8, .max_entries = 1,
                                  .name = "wharf_bad"});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().summary() == "bpf(2) BPF_MAP_CREATE wharf_bad: Invalid argument");
}

TEST_CASE("NetnsCookie_SameFromAnySocketOfTheNamespace")
{
    auto cookie = sys::netns_cookie();
    REQUIRE_MESSAGE(cookie.has_value(), (cookie ? "" : cookie.error().summary()));
    CHECK(*cookie != 0);
    sys::UniqueFd tcp(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    REQUIRE(tcp);
    auto same = sys::socket_netns_cookie(tcp.get());
    REQUIRE(same.has_value());
    CHECK(*same == *cookie);
    auto bad = sys::socket_netns_cookie(-1);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().summary() == "getsockopt(2) SO_NETNS_COOKIE: Bad file descriptor");
}

}
