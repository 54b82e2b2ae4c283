# Derives the dm-crypt aes-xts-plain64 known answers of crypt_image_test.cpp without the code
# under test: XTS-AES written out from single AES-ECB blocks (the IEEE 1619 definition),
# checked against IEEE 1619 vectors 3 and 4, and against the library's own XTS mode.
#   /usr/bin/python3 tests/unit/imgutil/xts_kat.py      (Debian: python3-cryptography)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def ecb(key, block):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()

def mul_alpha(t):
    t = bytearray(t); carry = 0
    for i in range(16):
        nc = t[i] >> 7
        t[i] = ((t[i] << 1) & 0xff) | carry
        carry = nc
    if carry: t[0] ^= 0x87
    return bytes(t)

def xts_encrypt(key, tweak16, data):
    k1, k2 = key[:len(key)//2], key[len(key)//2:]
    t = ecb(k2, tweak16); out = b''
    for j in range(0, len(data), 16):
        p = bytes(a ^ b for a, b in zip(data[j:j+16], t))
        c = ecb(k1, p)
        out += bytes(a ^ b for a, b in zip(c, t))
        t = mul_alpha(t)
    return out

def plain64(sector):
    return sector.to_bytes(8, 'little') + bytes(8)

H = bytes.fromhex
# IEEE P1619 vector 3 (data unit 0x123456789a) and vector 4 (512 bytes, data unit 0)
assert xts_encrypt(H('fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0'),
                   H('9a785634120000000000000000000000'), b'\x44' * 32).hex() == \
    'b01f86f8edc1863706fa8a4253e34f28af319de38334870f4dd1f94cbe9832f1'
v4 = xts_encrypt(H('2718281828459045235360287471352631415926535897932384626433832795'), bytes(16), bytes(range(256)) * 2)
assert v4.hex().startswith('27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89c')
assert v4.hex().endswith('0a282df920147beabe421ee5319d0568')
print('IEEE vectors 3 and 4 OK')

key = bytes((i * 37 + 11) & 0xff for i in range(32))
plain = b'hsqs' + bytes((i * 7 + 3) & 0xff for i in range(508))
print('key', key.hex())
print('plain', plain.hex())
for sector in (0, 1, 0x0123456789):
    c = xts_encrypt(key, plain64(sector), plain)
    lib = Cipher(algorithms.AES(key), modes.XTS(plain64(sector))).encryptor().update(plain)
    assert c == lib
    print('sector', hex(sector), c.hex())
