# The proxy's image: Debian's own nginx package, the one the tests run (scripts/test.sh,
# tests/proxy.py). Its configuration is mounted from deploy/nginx/ (compose.yaml).
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80 443
CMD ["nginx", "-c", "/etc/kcm-nginx/nginx.conf", "-g", "daemon off;"]
