#include "engine/base/digest.h"

#include <doctest/doctest.h>

using namespace wharf;

TEST_SUITE("base.digest") {

TEST_CASE("Digest_Sha256OfKnownInputs")
{
    CHECK(sha256("").str() == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256("{}").str() == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    std::string zeros(1024, '\0'); // the empty tar: Docker's empty-layer DiffID
    CHECK(sha256(zeros).str() == "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
}

TEST_CASE("Digest_StreamingEqualsOneShot")
{
    Sha256Hasher h;
    h.update("hello ");
    h.update("world");
    CHECK(h.size() == 11);
    CHECK(h.finish() == sha256("hello world"));
}

TEST_CASE("Digest_ParseValidAndShortForm")
{
    auto d = Digest::parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    REQUIRE(d);
    CHECK(d->algorithm() == "sha256");
    CHECK(d->short_hex() == "44136fa355b3");
}

TEST_CASE("Digest_ParseErrorsNameTheInput")
{
    auto r = Digest::parse("sha256:abc");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid digest \"sha256:abc\": sha256 needs 64 hex characters, got 3");
    r = Digest::parse("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    REQUIRE_FALSE(r);
    CHECK(r.error().message().ends_with("missing algorithm prefix (expected sha256:<hex>)"));
    r = Digest::parse("sha256:44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A");
    REQUIRE_FALSE(r);
    CHECK(r.error().message().ends_with("encoded part must be lowercase hex"));
}

}
