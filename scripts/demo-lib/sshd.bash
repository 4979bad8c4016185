# Throw-away OpenSSH servers for scripts/demo --remote and scripts/bench: keys,
# config and log in a folder of the caller's, started by absolute path and
# stopped by PID. Sourced, not run.
#
#   sshd_keys DIR                      host key, user key, authorized_keys in DIR
#   sshd_start DIR ADDRESS PORT [HOSTDIR TARGET]
#       starts sshd on ADDRESS:PORT (in a mount namespace of its own where HOSTDIR
#       is bind-mounted on TARGET, when given: several "hosts" on one machine);
#       waits until it accepts TCP; appends its PID to SSHD_PIDS and its key to
#       DIR/known_hosts. Returns 1 (with the log's tail) when it does not start.
#   sshd_stop_all                      kills every started sshd by its PID

SSHD_PIDS=()

sshd_keys() {
  ssh-keygen -q -t ed25519 -N '' -C slipway-throwaway-host -f "$1/host_key"
  ssh-keygen -q -t ed25519 -N '' -C slipway-throwaway-user -f "$1/user_key"
  cp "$1/user_key.pub" "$1/authorized_keys"
  mkdir -p /run/sshd 2>/dev/null || true
}

sshd_start() {
  local dir=$1 address=$2 port=$3 hostdir=${4:-} target=${5:-} pid
  local cfg=$dir/sshd_config.$address.$port log=$dir/sshd.$address.$port.log
  cat >"$cfg" <<CFG
ListenAddress $address
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.$address.$port.pid
AuthorizedKeysFile $dir/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
Subsystem sftp internal-sftp
LogLevel VERBOSE
MaxStartups 100
MaxSessions 100
CFG
  if [[ -n $hostdir ]]; then
    unshare -m --propagation private sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' \
      "$hostdir" "$target" /usr/sbin/sshd -D -f "$cfg" -E "$log" &
  else
    /usr/sbin/sshd -D -f "$cfg" -E "$log" &
  fi
  pid=$!
  local _
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then
      SSHD_PIDS+=("$pid")
      echo "[$address]:$port $(cut -d' ' -f1,2 "$dir/host_key.pub")" >>"$dir/known_hosts"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "sshd on $address:$port did not start:" >&2
  tail -n 5 "$log" >&2 || true
  return 1
}

sshd_stop_all() {
  local pid
  for pid in "${SSHD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SSHD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SSHD_PIDS=()
}
