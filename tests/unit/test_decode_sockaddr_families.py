"""Socket addresses and SOL_PACKET/SOL_RAW option values as strace 6.1 prints them (its
sockaddr.c and net.c; the strace suite's net-sockaddr, sockaddr_xlat and net-* tests)."""

from __future__ import annotations

import socket
import struct

from syscope.decode import fmt, sockaddr
from syscope.decode.kinds.net_packet import _icmp_filter


class _Bytes:
    """A tracee memory holding one buffer at 0x1000 (the MemoryReader protocol)."""

    tid = 0

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, addr: int, size: int) -> bytes | None:
        off = addr - 0x1000
        return self.data[off:off + size] if 0 <= off < len(self.data) else None

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        return None


def test_packet_address_fields_and_cut_hardware_address() -> None:
    ll = struct.pack("<H", socket.AF_PACKET) + struct.pack(">H", 3) + struct.pack("<iHBB", 5, 1, 0, 9) + b"abcdefgh"
    assert sockaddr.sockaddr(ll, "x86_64") == (
        "{sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=5, sll_hatype=ARPHRD_ETHER, "
        "sll_pkttype=PACKET_HOST, sll_halen=9, sll_addr=[0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, ...]}")
    assert sockaddr.sockaddr(ll, "x86_64", 2).startswith('{sa_family=0x11, sll_protocol="\\x00\\x03", sll_ifindex=5, '
                                                     "sll_hatype=0x1, sll_pkttype=0,")


def test_family_minimum_lengths_netlink_pad_and_inet6_scope() -> None:
    inet = struct.pack("<H", socket.AF_INET) + bytes(10)
    assert sockaddr.sockaddr(inet, "x86_64") == '{sa_family=AF_INET, sa_data="\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"}'
    nl = struct.pack("<HHII", socket.AF_NETLINK, 0xFFFF, 4001, 0)
    assert sockaddr.sockaddr(nl, "x86_64") == "{sa_family=AF_NETLINK, nl_pad=0xffff, nl_pid=4001, nl_groups=00000000}"
    six = struct.pack("<HHI", socket.AF_INET6, 0, 0) + socket.inet_pton(socket.AF_INET6, "fe80::")
    lo = socket.if_nametoindex("lo")
    assert sockaddr.sockaddr(six + struct.pack("<I", lo), "x86_64").endswith('sin6_scope_id=if_nametoindex("lo")}')
    assert "sin6_scope_id" not in sockaddr.sockaddr(six, "x86_64")


def test_rxrpc_transport_and_unknown_service() -> None:
    rx = struct.pack("<HHHHH", 33, 0x8382, 2, 16, socket.AF_INET) + struct.pack(">H", 80)
    rx += bytes([1, 2, 3, 4]) + bytes(20)
    assert sockaddr.sockaddr(rx, "x86_64") == (
        "{sa_family=AF_RXRPC, srx_service=0x8382 /* ???_SERVICE */, transport_type=SOCK_DGRAM, transport_len=16, "
        'transport={sin={sin_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}}}')


def test_icmp_filter_set_and_complement() -> None:
    types = fmt.enum("x86_64", "icmp_filter_types")
    assert _icmp_filter(_Bytes(struct.pack("<I", 0b1001)), 0x1000, 4, types) == "[ICMP_ECHOREPLY ICMP_DEST_UNREACH]"
    assert _icmp_filter(_Bytes(struct.pack("<I", 0xFFFFFFFE)), 0x1000, 4, types) == "~[ICMP_ECHOREPLY]"
    assert _icmp_filter(_Bytes(b""), 0x1000, -2, types) == "0x1000"


def test_vsock_names_hex_and_set_reserved_and_padding() -> None:
    vm = struct.pack("<HHIIB", socket.AF_VSOCK, 0xDEAD, 0xFACEBEEF, 2, 0xEF) + b"\x42\0\0"
    assert sockaddr.sockaddr(vm, "x86_64") == (
        "{sa_family=AF_VSOCK, svm_reserved1=0xdead, svm_cid=VMADDR_CID_HOST, svm_port=0xfacebeef, "
        'svm_flags=VMADDR_FLAG_TO_HOST|0xee, svm_zero="\\x42\\x00\\x00"}')
    plain = struct.pack("<HHIIB", socket.AF_VSOCK, 0, 0, 0, 2) + bytes(3)
    assert sockaddr.sockaddr(plain, "x86_64", 1) == (
        "{sa_family=0x28 /* AF_VSOCK */, svm_cid=0 /* VMADDR_CID_HYPERVISOR */, svm_port=0, "
        "svm_flags=0x2 /* VMADDR_FLAG_??? */}")
    assert sockaddr.sockaddr(plain[:-1], "x86_64").startswith("{sa_family=AF_VSOCK, sa_data=")


def test_qrtr_node_and_port_names_only_for_their_own_values() -> None:
    qr = struct.pack("<HHII", socket.AF_QIPCRTR, 0, 0xFFFFFFFE, 0xFFFFFFFE)
    assert sockaddr.sockaddr(qr, "x86_64") == "{sa_family=AF_QIPCRTR, sq_node=0xfffffffe, sq_port=QRTR_PORT_CTRL}"
    bcast = struct.pack("<HHII", socket.AF_QIPCRTR, 0, 0xFFFFFFFF, 0xFFFFFFFF)
    assert sockaddr.sockaddr(bcast, "x86_64", 2) == "{sa_family=0x2a, sq_node=0xffffffff, sq_port=0xffffffff}"


def test_alg_names_cut_at_their_nul_or_marked_unterminated() -> None:
    alg = struct.pack("<H", socket.AF_ALG) + b"hash\0" + bytes(9) + struct.pack("<II", 0x1000, 0xDEADCAFE)
    assert sockaddr.sockaddr(alg + b"sha256\0", "x86_64") == (
        '{sa_family=AF_ALG, salg_type="hash", salg_feat=0x1000 /* CRYPTO_ALG_KERN_DRIVER_ONLY */, '
        'salg_mask=0xdeadcafe /* CRYPTO_ALG_??? */, salg_name="sha256"}')
    raw = sockaddr.sockaddr(alg + b"sha", "x86_64", 2)
    assert raw.endswith('salg_feat=0x1000, salg_mask=0xdeadcafe, salg_name="sh"...}')
    assert "sa_data=" in sockaddr.sockaddr(alg, "x86_64")  # no byte of the name: raw, as strace


def test_ieee802154_short_and_long_addresses() -> None:
    head = struct.pack("<HHi", 36, 0, 2) + struct.pack("<H", 0xFFFF)
    assert sockaddr.sockaddr(head + struct.pack("<H", 0xFFFE) + bytes(8), "x86_64") == (
        "{sa_family=AF_IEEE802154, addr={addr_type=0x2 /* IEEE802154_ADDR_SHORT */, "
        "pan_id=0xffff /* IEEE802154_PANID_BROADCAST */, short_addr=0xfffe /* IEEE802154_ADDR_UNDEF */}}")
    long_ = struct.pack("<HHiH", 36, 0, 3, 0) + b"Oh Hai!\0" + bytes(2)
    assert sockaddr.sockaddr(long_, "x86_64", 1) == (
        "{sa_family=0x24 /* AF_IEEE802154 */, addr={addr_type=0x3 /* IEEE802154_ADDR_LONG */, pan_id=0, "
        'hwaddr="\\x4f\\x68\\x20\\x48\\x61\\x69\\x21\\x00" /* 4f:68:20:48:61:69:21:00 */}}')


def test_xdp_umem_fd_only_with_shared_umem_and_mctp_padding_only_when_set() -> None:
    xdp = struct.pack("<HHIII", 44, 0xBAD0, 0, 5, 0xFEEDBEAD)
    assert sockaddr.sockaddr(xdp, "x86_64") == (
        "{sa_family=AF_XDP, sxdp_flags=0xbad0 /* XDP_??? */, sxdp_ifindex=0, sxdp_queue_id=5, "
        "sxdp_shared_umem_fd=0xfeedbead}")
    shared = struct.pack("<HHIII", 44, 1, 0, 0, 7)
    assert sockaddr.sockaddr(shared, "x86_64").endswith("sxdp_flags=XDP_SHARED_UMEM, sxdp_ifindex=0, sxdp_queue_id=0, "
                                                    "sxdp_shared_umem_fd=7}")
    mctp = struct.pack("<HHIBBBB", 45, 0, 0, 0xFF, 1, 8, 0xEA)
    assert sockaddr.sockaddr(mctp, "x86_64", 1) == (
        "{sa_family=0x2d /* AF_MCTP */, smctp_network=0 /* MCTP_NET_ANY */, "
        "smctp_addr={s_addr=0xff /* MCTP_ADDR_ANY */}, smctp_type=0x1, smctp_tag=0x8, __smctp_pad1=0xea}")


def test_nfc_llcp_fields_need_the_whole_struct_for_the_word_size() -> None:
    base = struct.pack("<HHIII", 39, 0, 0xCAFED1CE, 0x42, 8)
    llcp = base + bytes([42, 0xFF]) + b"OH\0" + bytes(60)
    assert sockaddr.sockaddr(base, "x86_64") == (
        "{sa_family=AF_NFC, dev_idx=3405697486, target_idx=0x42, nfc_protocol=0x8 /* NFC_PROTO_??? */}")
    # i386: service_name_len is a 4-byte size_t at 84; x86_64: an 8-byte one at 88
    i386 = llcp + bytes(3) + struct.pack("<I", 4)
    assert sockaddr.sockaddr(i386, "i386").endswith(
        'dsap=0x2a, ssap=0xff /* LLCP_SAP_MAX */, service_name="OH\\0\\0", service_name_len=4}')
    assert sockaddr.sockaddr(i386, "x86_64").endswith("nfc_protocol=0x8 /* NFC_PROTO_??? */, ...}")
    wide = llcp + bytes(7) + struct.pack("<Q", 2)
    assert sockaddr.sockaddr(wide, "x86_64").endswith('service_name="OH", service_name_len=2}')


def test_x25_address_text_and_ipx_fields() -> None:
    x25 = struct.pack("<H", socket.AF_X25) + b"0123456789abcdef"
    assert sockaddr.sockaddr(x25, "x86_64") == '{sa_family=AF_X25, sx25_addr={x25_addr="0123456789abcde"...}}'
    assert sockaddr.sockaddr(x25[:-1], "x86_64") == '{sa_family=AF_X25, sa_data="0123456789abcde"}'
    ipx = struct.pack("<H", socket.AF_IPX) + struct.pack(">HI", 12345, 0xFACEFEED) + b"ABCDEF\xff\x42"
    assert sockaddr.sockaddr(ipx, "x86_64") == (
        "{sa_family=AF_IPX, sipx_port=htons(12345), sipx_network=htonl(0xfacefeed), "
        "sipx_node=[0x41, 0x42, 0x43, 0x44, 0x45, 0x46], sipx_type=0xff, sipx_zero=0x42}")


def _ax25_call(text: bytes, ssid: int) -> bytes:
    # netax25/ax25.h ax25_address: each character shifted left by one, then the SSID byte
    return bytes(c << 1 for c in text.ljust(6)) + bytes([ssid << 1])


def test_ax25_callsigns_native_raw_and_digipeaters_cut_short() -> None:
    head = struct.pack("<H", socket.AF_AX25) + _ax25_call(b"VALID", 13) + bytes(3)  # int sax25_ndigis at 12
    assert sockaddr.sockaddr(head + struct.pack("<i", 0), "x86_64") == (
        "{sa_family=AF_AX25, sax25_call=VALID-13, sax25_ndigis=0}")
    assert sockaddr.sockaddr(head + struct.pack("<i", 0), "x86_64", 2).endswith(
        'sax25_call={ax25_call="\\xac\\x82\\x98\\x92\\x88\\x40\\x1a"}, sax25_ndigis=0}')
    # three digipeaters of eight asked for, and a byte past the third
    digis = _ax25_call(b"OK", 15) + bytes([0x40] * 6 + [4]) + _ax25_call(b"", 0) + b"x"
    assert sockaddr.sockaddr(head + struct.pack("<i", 8) + digis, "x86_64") == (
        "{sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=8}, fsa_digipeater=[OK-15, "
        '{ax25_call="\\x40\\x40\\x40\\x40\\x40\\x40\\x04"} /* -2 */, *, ...], ...}')
