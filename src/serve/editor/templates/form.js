document.querySelectorAll("[data-up]").forEach(function(btn){btn.hidden=false;btn.addEventListener("click",function(){
var row=btn.closest(".photo"),prev=row.previousElementSibling;if(prev&&prev.classList.contains("photo")){row.parentNode.insertBefore(row,prev)}
row.parentNode.querySelectorAll(".photo").forEach(function(r,i){r.querySelector("[data-order]").value=i+1})})});
function fill(lat,lon){document.getElementById("f.location.lat").value=lat;document.getElementById("f.location.lon").value=lon}
document.querySelectorAll("[data-gps]").forEach(function(btn){btn.addEventListener("click",function(){var p=btn.dataset.gps.split(",");fill(p[0],p[1])})});
var here=document.getElementById("here");if(here){if(window.isSecureContext&&navigator.geolocation){here.hidden=false;here.addEventListener("click",function(){
navigator.geolocation.getCurrentPosition(function(p){fill(p.coords.latitude.toFixed(6),p.coords.longitude.toFixed(6))})})}}
