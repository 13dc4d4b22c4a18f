// The one translation unit that compiles Asio, Asio's SSL support, Beast and Boost.URL; everything
// else includes their headers with BOOST_*_SEPARATE_COMPILATION and links this library.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
