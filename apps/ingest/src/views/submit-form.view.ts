export interface SubmitFormModel {
  token: string;
  campaignName: string;
  requirements: { hashtags: string[]; mentions: string[] };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A small, dependency-free, accessible page: works with a keyboard and a screen reader, and on a phone. */
export function renderSubmitForm(model: SubmitFormModel | null): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${model ? `Submit your post · ${esc(model.campaignName)}` : 'Link not found'}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:34rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:1px solid #6b7280;border-radius:.4rem;background:#fff}
textarea{min-height:7rem}button{margin-top:1rem;font:inherit;font-weight:600;padding:.7rem 1.2rem;border:0;border-radius:.4rem;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.req{background:#fff;border:1px solid #d1d5db;border-radius:.4rem;padding:.75rem 1rem}
.tag{display:inline-block;background:#e0e7ff;color:#1e3a8a;border-radius:1rem;padding:.1rem .6rem;margin:.15rem;font-weight:600}
#verdict{margin-top:1rem;padding:.75rem 1rem;border-radius:.4rem}
#verdict.ok{background:#dcfce7;color:#14532d}#verdict.err{background:#fee2e2;color:#7f1d1d}
.hint{color:#4b5563;font-size:.9rem}
</style></head><body><main>`;
  if (!model) {
    return `${head}<h1>Link not found</h1><p>This submission link is not valid. Check that it was copied in full.</p></main></body></html>`;
  }
  const tags = [...model.requirements.hashtags.map((h) => `#${h}`), ...model.requirements.mentions.map((m) => `@${m}`)];
  const req = tags.length
    ? `<div class="req" id="requirements"><p>Your caption must include:</p><p>${tags.map((t) => `<span class="tag">${esc(t)}</span>`).join(' ')}</p></div>`
    : `<div class="req" id="requirements"><p>This campaign has no required hashtags or mentions.</p></div>`;
  return `${head}<h1>Submit your Instagram post</h1><p>Campaign: <strong>${esc(model.campaignName)}</strong></p>${req}
<form id="submit-form" novalidate>
<input type="hidden" name="token" value="${esc(model.token)}">
<label for="postUrl">Link to your Instagram post or reel</label>
<input id="postUrl" name="postUrl" type="url" required inputmode="url" autocomplete="off" placeholder="https://www.instagram.com/p/…/" aria-describedby="postUrl-hint">
<p class="hint" id="postUrl-hint">For example https://www.instagram.com/p/ABC123/ or https://www.instagram.com/reel/ABC123/</p>
<label for="caption">Caption of the post</label>
<textarea id="caption" name="caption" maxlength="2200" aria-describedby="caption-hint"></textarea>
<p class="hint" id="caption-hint">Paste the caption exactly as posted, so we can check the requirements above.</p>
<button type="submit">Submit post</button>
</form>
<div id="verdict" role="status" aria-live="polite" hidden></div>
<script>
const form=document.getElementById('submit-form');const out=document.getElementById('verdict');
const req=${JSON.stringify(tags).replace(/</g, '\\u003c')};
function show(ok,msg){out.hidden=false;out.className=ok?'ok':'err';out.textContent=msg;}
form.addEventListener('submit',async(e)=>{e.preventDefault();const d=new FormData(form);
const caption=String(d.get('caption')||'');const lower=' '+caption.toLowerCase()+' ';
const missing=req.filter(t=>!new RegExp('(^|[^\\\\w#@.])'+t.toLowerCase().replace(/[.*+?^$()|[\\]\\\\]/g,'\\\\$&')+'(?![\\\\w])','u').test(lower));
try{const r=await fetch('/v1/submissions',{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({token:d.get('token'),postUrl:String(d.get('postUrl')||'').trim(),caption})});
const j=await r.json().catch(()=>({}));
if(r.status===202){show(missing.length===0,missing.length===0?'Thank you! Your post was received and meets the campaign requirements.':'Your post was received, but the caption is missing: '+missing.join(', ')+'. It will be rejected; edit the caption and submit again.');}
else{show(false,(j.error&&j.error.message)||('Something went wrong ('+r.status+'). Please try again.'));}}
catch(err){show(false,'Could not reach Seedline. Check your connection and try again.');}});
</script></main></body></html>`;
}
