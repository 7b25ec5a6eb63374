#!/usr/bin/env python3
"""Deterministic benchmark corpus: realistic manifests with comments, flow
style, quoted values, block scalars and multi-byte text.

usage: generate.py COUNT stream|resourcelist > out.yaml
"""
import sys

DOMAIN = "staging.mycompany.com"


def deployment(i):
    return f"""# Deployment {i}: the app tier — ünïcode ✓
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{i % 17}
  labels: {{app: app-{i}, tier: web, "app.kubernetes.io/version": "1.{i % 9}.0"}}
  annotations:
    description: "Déploiement {i} — service de test"
spec:
  replicas: {i % 5 + 1}
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:{i % 100}.{i % 7}   # pinned
        args: ["--listen=:8080", '--log-level=info']
        env:
        - name: PUBLIC_URL
          value: https://app-{i}.{DOMAIN}/login?next=%2Fhome
        - name: FEATURE_FLAGS
          value: "a,b,c"
        ports:
        - containerPort: 8080
          protocol: TCP
        resources: {{limits: {{cpu: 500m, memory: 256Mi}}, requests: {{cpu: 100m, memory: 128Mi}}}}
"""


def service(i):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: team-{i % 17}
spec:
  selector: {{app: app-{i}}}
  ports:
  - name: http
    port: 80
    targetPort: 8080   # container port
"""


def configmap(i):
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}-config
  namespace: team-{i % 17}
data:
  nginx.conf: |
    server {{
      listen 80;
      server_name app-{i}.{DOMAIN};   # embedded file
      location / {{ proxy_pass http://127.0.0.1:8080; }}
    }}

  notes: >
    Folded text that mentions
    the environment {i}.
  mode: 'production'
"""


def ingress(i):
    return f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app-{i}
  namespace: team-{i % 17}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt   # issuer
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  tls:
  - hosts:
    - app-{i}.{DOMAIN}
    - "api-{i}.{DOMAIN}"
    secretName: app-{i}-tls
  - hosts: ["*.cdn-{i}.{DOMAIN}"]
    secretName: cdn-{i}-tls
  rules:
  - host: app-{i}.{DOMAIN}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {{service: {{name: app-{i}, port: {{number: 80}}}}}}
  - host: api-{i}.{DOMAIN}
    http:
      paths:
      - path: /v1
        pathType: Prefix
        backend:
          service:
            name: app-{i}
            port:
              name: http
  - host: www.example.org
    http:
      paths:
      - {{path: /, pathType: Prefix, backend: {{service: {{name: static, port: {{number: 80}}}}}}}}
"""


def certificate(i):
    return f"""apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: app-{i}
  namespace: team-{i % 17}
spec:
  secretName: app-{i}-tls
  commonName: app-{i}.{DOMAIN}
  dnsNames:
  - app-{i}.{DOMAIN}
  - 'api-{i}.{DOMAIN}'
  issuerRef: {{name: letsencrypt, kind: ClusterIssuer}}
"""


def httproute(i):
    return f"""apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: app-{i}
  namespace: team-{i % 17}
spec:
  parentRefs:
  - name: public
    namespace: gateways
  hostnames: ["app-{i}.{DOMAIN}", "www-{i}.{DOMAIN}"]
  rules:
  - matches:
    - path: {{type: PathPrefix, value: /}}
    backendRefs:
    - name: app-{i}
      port: 80
"""


KINDS = [deployment, service, configmap, ingress, certificate, httproute]


def resources(count):
    for i in range(count):
        yield KINDS[i % len(KINDS)](i // len(KINDS))


def main():
    count = int(sys.argv[1])
    form = sys.argv[2]
    out = sys.stdout
    if form == "stream":
        for index, text in enumerate(resources(count)):
            if index:
                out.write("---\n")
            out.write(text)
    elif form == "resourcelist":
        out.write("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
        for text in resources(count):
            lines = text.splitlines(True)
            first = True
            for line in lines:
                if line.startswith("#"):
                    out.write("  " + line if not first else "- " + line)
                else:
                    out.write(("- " if first else "  ") + line)
                first = False
        out.write(
            "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n"
            "    name: function-input\n  data:\n"
            f"    from: {DOMAIN}\n    to: mirror.mycompany.com\n")
    else:
        sys.exit("form must be stream or resourcelist")


main()
