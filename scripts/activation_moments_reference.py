#!/usr/bin/python3
"""Independent reference moments of every built-in activation for ActivationMomentsReferenceTest.

E[f(X)] and E[f(X)^2] for X ~ N(mu, v), computed with mpmath at 40 significant digits from the
activations' mathematical definitions (not from the Java code): tanh-sinh quadrature in the standardized
variable z, split at the kinks and on a fine grid, plus the closed forms where they exist as a second
opinion. Writes CSV lines: kind,alpha,mu,v,m1,m2 (alpha "nan" for kinds without one).

Run:  /usr/bin/python3 scripts/activation_moments_reference.py > \
        autoinit-init/src/test/resources/org/autoinit/init/moments/activation-moments-reference.csv
"""
import sys
import mpmath as mp

mp.mp.dps = 40

SELU_ALPHA = mp.mpf('1.6732632423543772848170429916717')
SELU_SCALE = mp.mpf('1.0507009873554804934193349852946')


def Phi(x):
    return mp.ncdf(x)


def softplus(x):
    return mp.log1p(mp.exp(x))


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


KINDS = {
    'relu': (lambda x, a: mp.mpf(0) if x <= 0 else x, lambda a, mu, s: [(-mu) / s]),
    'leaky_relu': (lambda x, a: x if x > 0 else a * x, lambda a, mu, s: [(-mu) / s]),
    'elu': (lambda x, a: x if x > 0 else a * mp.expm1(x), lambda a, mu, s: [(-mu) / s]),
    'selu': (lambda x, a: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mp.expm1(x)), lambda a, mu, s: [(-mu) / s]),
    'gelu': (lambda x, a: x * Phi(x), None),
    'gelu_tanh': (lambda x, a: x / 2 * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (x + mp.mpf('0.044715') * x ** 3))), None),
    'swish': (lambda x, a: x * sigmoid(x), None),
    'mish': (lambda x, a: x * mp.tanh(softplus(x)), None),
    'tanh': (lambda x, a: mp.tanh(x), None),
    'sigmoid': (lambda x, a: sigmoid(x), None),
    'hard_sigmoid': (lambda x, a: min(max(x + 3, mp.mpf(0)), mp.mpf(6)) / 6, lambda a, mu, s: [(-3 - mu) / s, (3 - mu) / s]),
    'softplus': (lambda x, a: softplus(x), None),
    'softsign': (lambda x, a: x / (1 + abs(x)), lambda a, mu, s: [(-mu) / s]),
    'sin': (lambda x, a: mp.sin(x), None),
    'exp': (lambda x, a: mp.exp(x), None),
    'identity': (lambda x, a: x, None),
}

DEFAULT_ALPHA = {'leaky_relu': '0.01', 'elu': '1.0'}

# (mu, v): v far from 1 (1e-4 .. 100) and mu far from 0 (-10 .. 8) included.
CASES = [('0', '1'), ('1', '0.01'), ('-3', '1'), ('3', '25'), ('0.5', '25'), ('-1', '0.01'), ('3', '0.01'), ('-3', '25'),
         ('0.05', '0.0001'), ('0', '100'), ('-10', '4'), ('8', '0.5'), ('0.3', '2.5')]
EXP_CASES = [('0', '1'), ('1', '0.01'), ('-3', '1'), ('3', '0.01'), ('0.05', '0.0001'), ('-10', '4'), ('2', '10'), ('-5', '9'),
             ('-700', '700'), ('0.3', '2.5')]
ALPHA_CASES = [('0', '1'), ('-1', '4'), ('2', '0.25'), ('0.5', '25')]
EXTRA_ALPHAS = ['0.2', '-0.5', '2.5']


def moments(f, kinks, mu, v, a):
    s = mp.sqrt(v)
    lo, hi = mp.mpf(-40), mp.mpf(40)
    # exp's integrand e^{2 s z} phi(z) peaks at z = 2s: extend the range past it.
    hi = max(hi, 2 * s + 40)
    pts = set()
    step = mp.mpf('0.5')
    z = lo
    while z < hi:
        pts.add(z)
        z += step
    pts.add(hi)
    for k in (kinks(a, mu, s) if kinks else []):
        if lo < k < hi:
            pts.add(k)
    pts = sorted(pts)
    pdf = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)
    m1 = mp.quad(lambda z: f(mu + s * z, a) * pdf(z), pts)
    m2 = mp.quad(lambda z: f(mu + s * z, a) ** 2 * pdf(z), pts)
    return m1, m2


def closed(kind, mu, v, a):
    s = mp.sqrt(v)
    if kind == 'identity':
        return mu, mu * mu + v
    if kind == 'exp':
        return mp.exp(mu + v / 2), mp.exp(2 * mu + 2 * v)
    if kind == 'sin':
        return mp.sin(mu) * mp.exp(-v / 2), (1 - mp.cos(2 * mu) * mp.exp(-2 * v)) / 2
    if kind == 'relu':
        t = mu / s
        return mu * Phi(t) + s * mp.npdf(t), (mu * mu + v) * Phi(t) + mu * s * mp.npdf(t)
    return None


def fmt(x):
    return mp.nstr(x, 25) if x != 0 else '0'


def main():
    out = sys.stdout
    out.write('# kind,alpha,mu,v,m1,m2 -- E[f(X)], E[f(X)^2], X ~ N(mu, v); mpmath %s, %d digits; scripts/activation_moments_reference.py\n'
              % (mp.__version__, mp.mp.dps))
    for kind, (f, kinks) in KINDS.items():
        alphas = [DEFAULT_ALPHA.get(kind, 'nan')]
        if kind in DEFAULT_ALPHA:
            alphas += EXTRA_ALPHAS
        for alpha in alphas:
            a = mp.mpf(alpha) if alpha != 'nan' else None
            cases = EXP_CASES if kind == 'exp' else (CASES if alpha == alphas[0] else ALPHA_CASES)
            for mu_s, v_s in cases:
                mu, v = mp.mpf(mu_s), mp.mpf(v_s)
                m1, m2 = moments(f, kinks, mu, v, a)
                c = closed(kind, mu, v, a)
                if c is not None:
                    for q, r in zip((m1, m2), c):
                        if abs(q - r) > mp.mpf('1e-25') * max(1, abs(r)):
                            raise SystemExit('%s at N(%s, %s): quadrature %s vs closed form %s' % (kind, mu_s, v_s, q, r))
                out.write('%s,%s,%s,%s,%s,%s\n' % (kind, alpha, mu_s, v_s, fmt(m1), fmt(m2)))
                out.flush()


if __name__ == '__main__':
    main()
