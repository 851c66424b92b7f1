import numpy as np, io, os, json, zipfile, hashlib, struct
B=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bad-runs')
os.makedirs(B, exist_ok=True)
base={"format":1,"model":"@MODEL@","modelParamsSha256":"@SHA@","target":"20-8-4","dataset":"mnist","density":0.25,"n":16,"k":4,"pool":48,"eps":0.001,"seed":7,"distribution":"uniform","solver":"mitm","nonNegativeInput":True,"maskDigest":"0"*64,"provenance":{"sltk":"dev"}}
rng=np.random.default_rng(5)
a=np.stack([np.sort(rng.choice(1008,84,replace=False)) for _ in range(8)]).astype('<i4')
b=np.stack([np.sort(rng.choice(432,36,replace=False)) for _ in range(4)]).astype('<i4')
def digest(arrs):
    h=hashlib.sha256()
    for x in arrs:
        h.update(struct.pack('>ii',*x.shape)); h.update(x.astype('>i4').tobytes())
    return h.hexdigest()
def npz(**arrs):
    buf=io.BytesIO(); np.savez(buf, **arrs); return buf.getvalue()
def npyhead(shape, descr='<i4'):
    h="{'descr': '%s', 'fortran_order': False, 'shape': (%s), }"%(descr, ", ".join(map(str,shape)))
    h+=' '*((64-(10+len(h)+1)%64)%64)+'\n'
    return b'\x93NUMPY\x01\x00'+struct.pack('<H',len(h))+h.encode()
def case(name, expected, cfg=None, masks=None, text=None):
    d=f'{B}/{name}'; os.makedirs(d, exist_ok=True)
    c=dict(base); c.update(cfg or {})
    open(f'{d}/config.json','w').write(text if text is not None else json.dumps(c, indent=2)+'\n')
    if masks is not None: open(f'{d}/masks.npz','wb').write(masks)
    open(f'{d}/expected.txt','w').write(expected+'\n')
good=npz(pair0=a,pair1=b)
C='@RUN@/config.json: '; M='@RUN@/masks.npz'
js=json.dumps(base, indent=2)+'\n'
case('config-truncated', C+'not valid JSON (?)', text='{"format": 1, "model": ')
case('config-nan-density', C+"field 'density': must be in (0, 1], found NaN", {"density": float('nan')})
case('config-infinite-n', C+"field 'n' must be a whole number, found 1e400", text=js.replace('"n": 16','"n": 1e400'))
case('config-absurd-pool', C+"field 'pool' must be in [0, 2147483647], found 1000000000000", {"pool": 10**12})
case('config-overflowing-pool', C+'--pool 2000000000: pair 1 would have 42000000000 hidden units, more than 2147483639; lower --pool', {"pool": 2000000000}, good)
case('config-nan-seed', C+"field 'seed' must be a whole number, found \"NaN\"", text=js.replace('"seed": 7','"seed": "NaN"'))
case('config-format-2', C+'format 2 is not supported (this sltk reads 1)', {"format": 2})
case('config-digest-not-hex', C+"field 'maskDigest' must be 64 lowercase hex digits, found 'xyz'", {"maskDigest": "xyz"})
case('config-input-short', C+"field 'input' must be [c, h, w], found [1,28]", {"input": [1, 28]})
case('config-input-zero', C+"field 'input' must hold whole numbers in [1, 65536], found [1,0,28]", {"input": [1, 0, 28]})
case('config-k-mismatch', C+"field 'k' is 5, but density 0.25 * n 16 is 4.0; the settings were edited", {"k": 5})
case('masks-not-a-zip', M+': missing array pair0.npy; the network has 2 layers', {}, b'just some text, not a zip archive\n')
case('masks-truncated', M+': ?', {}, good[:len(good)//2])
case('masks-float-dtype', M+" (pair0.npy): dtype '<f4', expected int32 ('<i4')", {}, npz(pair0=a.astype('<f4'), pair1=b))
case('masks-wrong-rows', M+' (pair0.npy): shape (7, 84), expected (8, kept per output)', {}, npz(pair0=a[:7], pair1=b))
z=io.BytesIO()
with zipfile.ZipFile(z,'w') as zf:
    zf.writestr('pair0.npy', npyhead((8,2000000000)))
    zf.writestr('pair1.npy', npyhead((4,36))+b.tobytes())
case('masks-absurd-shape', M+' (pair0.npy): 2000000000 kept units per output, more than the 1008 hidden units of the pair', {}, z.getvalue())
a2=a.copy(); a2[0,-1]=5000
case('masks-unit-out-of-range', M+" (pair0.npy): keeps unit 5000, outside the pair's 1008 hidden units", {}, npz(pair0=a2,pair1=b))
a3=a.copy(); a3[2,[0,1]]=a3[2,[1,0]]
case('masks-unsorted', M+' (pair0.npy): row 2 of the mask is not sorted and distinct', {}, npz(pair0=a3,pair1=b))
case('masks-extra-entry', M+': more than the 2 arrays pair0.npy.. of this network', {}, npz(pair0=a,pair1=b,pair2=b))
case('masks-missing-pair', M+': missing array pair1.npy; the network has 2 layers', {}, npz(pair0=a))
z=io.BytesIO()
with zipfile.ZipFile(z,'w',compression=zipfile.ZIP_DEFLATED) as zf:
    zf.writestr('pair0.npy', npyhead((8,84))+a.tobytes()+bytes(100_000_000))
    zf.writestr('pair1.npy', npyhead((4,36))+b.tobytes())
case('masks-zip-bomb', M+' (pair0.npy): more data than its shape (8, 84) holds', {}, z.getvalue())
inf=float('inf')
dom=lambda i,lo,hi: {"inputDomain": {"id": i, "lo": lo, "hi": hi, "reason": "test"}}
case('config-domain-bad-id', C+"field 'inputDomain.id' must be non-negative or signed, found \"positive\"", dom("positive", 0, 1))
case('config-domain-not-an-object', C+"field 'inputDomain' must be an object {id, lo, hi, reason}, found \"non-negative\"", {"inputDomain": "non-negative"})
case('config-domain-missing-hi', C+"missing field 'inputDomain.hi'", {"inputDomain": {"id": "non-negative", "lo": 0, "reason": "test"}})
case('config-domain-not-a-box', C+"field 'inputDomain' has lo 1.0 and hi 0.0, not a box lo <= hi; the settings were edited", dom("non-negative", 1, 0))
case('config-domain-disagrees', C+"field 'inputDomain' is signed (-inf, inf) with nonNegativeInput true, which disagree; the settings were edited", dom("signed", -inf, inf))
real=digest([a,b])
case('masks-digest-mismatch', M+f': mask digest {real[:12]} does not match {"1"*12} recorded in config.json; the masks were changed or the file is damaged', {"maskDigest":"1"*64}, good)
print(len(z.getvalue()))
