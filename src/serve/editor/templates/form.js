document.querySelectorAll("[data-up]").forEach(function(btn){btn.hidden=false;btn.addEventListener("click",function(){
var row=btn.closest(".photo"),prev=row.previousElementSibling;if(prev&&prev.classList.contains("photo")){row.parentNode.insertBefore(row,prev)}
row.parentNode.querySelectorAll(".photo").forEach(function(r,i){r.querySelector("[data-order]").value=i+1})})});
function fill(lat,lon){document.getElementById("f.location.lat").value=lat;document.getElementById("f.location.lon").value=lon}
document.querySelectorAll("[data-gps]").forEach(function(btn){btn.addEventListener("click",function(){var p=btn.dataset.gps.split(",");fill(p[0],p[1])})});
var here=document.getElementById("here");if(here){if(window.isSecureContext&&navigator.geolocation){here.hidden=false;here.addEventListener("click",function(){
navigator.geolocation.getCurrentPosition(function(p){fill(p.coords.latitude.toFixed(6),p.coords.longitude.toFixed(6))})})}}
(function(){var f=document.getElementById("entry"),box=document.getElementById("draft");if(!f||!box)return;var key="waymark-draft:"+f.getAttribute("action"),store;
try{store=window.localStorage}catch(e){return}if(!store)return;
function fields(){return Array.prototype.filter.call(f.elements,function(e){return e.name&&e.type!="file"&&e.type!="hidden"&&e.type!="submit"&&e.type!="button"})}
function values(){var o={};fields().forEach(function(e){o[e.name]=e.type=="checkbox"?(e.checked?"on":""):e.value});return o}
function put(v){fields().forEach(function(e){if(!(e.name in v))return;if(e.type=="checkbox")e.checked=v[e.name]=="on";else e.value=v[e.name]})}
/* Only the boxes she changed are kept: bringing back the rest would undo others' later changes. */
/* With them, the versions of the files they were typed over: saved later, over someone else's newer change, they clash at their boxes instead of undoing it. */
function versions(){var o={};Array.prototype.forEach.call(f.elements,function(e){if(e.type=="hidden"&&/(^|\.)version$/.test(e.name))o[e.name]=e.value});return o}
var base=values(),prior=null;if(f.hasAttribute("data-saved"))store.removeItem(key);else try{prior=JSON.parse(store.getItem(key))}catch(e){}
if(!(prior&&prior.v))prior={v:{}};if(!prior.ver)prior.ver=versions();
function keep(){var now=values(),v={},k;for(k in prior.v)v[k]=prior.v[k];for(k in now)if(now[k]!==base[k])v[k]=now[k];try{if(Object.keys(v).length)store.setItem(key,JSON.stringify({at:Date.now(),v:v,ver:prior.ver}))}catch(e){}}
if(Object.keys(prior.v).some(function(k){return k in base&&base[k]!==prior.v[k]})){box.querySelector("[data-draft-at]").textContent=new Date(prior.at).toLocaleString();box.hidden=false;
box.querySelector("[data-draft-restore]").addEventListener("click",function(){put(prior.v);Array.prototype.forEach.call(f.elements,function(e){if(e.type=="hidden"&&e.name in prior.ver)e.value=prior.ver[e.name]});box.hidden=true;keep()});
box.querySelector("[data-draft-discard]").addEventListener("click",function(){store.removeItem(key);prior={v:{}};box.hidden=true})}
var t;f.addEventListener("input",function(){clearTimeout(t);t=setTimeout(keep,300)});f.addEventListener("change",keep);f.addEventListener("submit",keep)})();
