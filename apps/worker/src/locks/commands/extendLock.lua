-- Renews a lock's lifetime only if the caller still holds it (its token).
-- KEYS[1] lock key; ARGV[1] the holder's token; ARGV[2] the new lifetime in ms. Returns 1 when renewed.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
